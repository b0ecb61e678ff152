import NN
import World

/// The diagnostics of a pre-training stage beyond masked words: what each of the paper's factors should have
/// taught, measured once on held-out data (names in `Diagnostic`).
extension Pretraining {
  /// Every diagnostic a pre-training stage records (and the pipeline records for the model "w/o
  /// pre-training" fine-tunes from): masked words, masked RoIs, sentence-image relation, cloze.
  public func diagnostics(_ model: VLModel) -> [String: Double] {
    var m = groundingMetrics(model)
    let withCaption = mrcAccuracy(model, caption: true)
    let withoutCaption = mrcAccuracy(model, caption: false)
    m[Diagnostic.mrcWithCaption] = withCaption
    m[Diagnostic.mrcWithoutCaption] = withoutCaption
    m[Diagnostic.mrcCaptionGain] = withCaption - withoutCaption
    m[Diagnostic.relation] = relationAccuracy(model)
    m[Diagnostic.cloze(stage: "pretrain")] = clozeAccuracy(model)
    return m
  }

  /// Aligned validation captions (a misaligned caption says nothing about its own image's regions).
  func alignedValidationCaptions(limit: Int) -> [CaptionSample] {
    Array(view.world.captions.filter { $0.split == .val && $0.aligned }.prefix(limit))
  }

  /// The masked RoIs of a validation image for the MRC probe: each with probability 0.15, at least one.
  static func probeRegions(_ count: Int, generator g: RandomGenerator) -> [Bool] {
    var mask = Masking.pickRegions(count, generator: g)
    if count > 0, !mask.contains(true) { mask[g.int(below: count)] = true }
    return mask
  }

  /// Masked-RoI classification accuracy (percent): the MRC head's most likely class at each masked RoI
  /// (pixels zeroed as in training) against the detector's most likely class for that region, with the
  /// aligned caption in the text part, or with an empty one (`caption: false`); the same RoIs either way.
  public func mrcAccuracy(_ model: VLModel, caption: Bool, limit: Int = 400) -> Double {
    let g = RandomGenerator(seed: 0x3A5C_0F_4015)
    let val = alignedValidationCaptions(limit: limit)
    var correct = 0
    var total = 0
    Autograd.inference {
      for start in stride(from: 0, to: val.count, by: 64) {
        var sequences: [VLSequence] = []
        var rois: [(position: BatchPosition, detectorClass: Int)] = []
        for c in val[start..<min(start + 64, val.count)] {
          let regions = view.detected(c.image)
          let mask = Self.probeRegions(regions.count, generator: g)
          let (whole, masked) = Masking.apply(mask: mask, whole: view.whole(c.image), regions: regions)
          let s = VLSequence(
            a: caption ? view.tokens(c.caption) : [], whole: whole, regions: masked,
            vocabulary: view.vocabulary)
          let scores = view.detectedScores(c.image)
          for (r, m) in mask.enumerated() where m {
            rois.append(
              (
                BatchPosition(sequence: sequences.count, element: s.regionElement(r)),
                VLMetrics.argmax(scores[r][...])
              ))
          }
          sequences.append(s)
        }
        guard !rois.isEmpty else { continue }
        let batch = VLBatch(sequences, padID: view.vocabulary.padID)
        let hidden = model.encoder(batch, tuneExtractor: false).hidden
        let logits = model.mrc(hidden.gatherRows(rois.map { batch.flatIndex($0.position, in: sequences) }))
          .scalars
        let k = Detector.classes
        for (i, roi) in rois.enumerated()
        where VLMetrics.argmax(logits[(i * k)..<((i + 1) * k)]) == roi.detectorClass {
          correct += 1
        }
        total += rois.count
      }
    }
    return total == 0 ? 0 : 100 * Double(correct) / Double(total)
  }

  /// Sentence-image relation accuracy (percent) on aligned validation captions, each once with its own image
  /// (matched) and once with the next caption's image (mismatched): 50 is chance.
  public func relationAccuracy(_ model: VLModel, limit: Int = 200) -> Double {
    let val = alignedValidationCaptions(limit: limit)
    guard val.count >= 2 else { return 0 }
    var pairs: [(caption: CaptionSample, image: Int, matched: Int)] = []
    for (i, c) in val.enumerated() {
      pairs.append((c, c.image, 1))
      if let other = (1..<val.count).lazy.map({ val[(i + $0) % val.count].image }).first(where: {
        $0 != c.image
      }) {
        pairs.append((c, other, 0))
      }
    }
    var correct = 0
    Autograd.inference {
      for start in stride(from: 0, to: pairs.count, by: 64) {
        let chunk = pairs[start..<min(start + 64, pairs.count)]
        let sequences = chunk.map {
          captionSequence(view.tokens($0.caption.caption), image: $0.image, input: .image)
        }
        let batch = VLBatch(sequences, padID: view.vocabulary.padID)
        let logits = model.relation(model.encoder(batch, tuneExtractor: false).pooled).scalars
        for (i, p) in chunk.enumerated() where VLMetrics.argmax(logits[(2 * i)..<(2 * i + 2)]) == p.matched {
          correct += 1
        }
      }
    }
    return 100 * Double(correct) / Double(pairs.count)
  }

  /// Cloze accuracy (percent) on held-out text-corpus passages (version 2's nested, long ones): 15% of the
  /// words of each masked (at least one), `[CLS] text [SEP]` with no image, as the text-only corpus is read.
  public func clozeAccuracy(_ model: VLModel, limit: Int = 400) -> Double {
    let g = RandomGenerator(seed: 0xC102_E5EE_D)
    let val = Array(view.world.text.filter { $0.split == .val }.prefix(limit))
    var correct = 0
    var total = 0
    Autograd.inference {
      for start in stride(from: 0, to: val.count, by: 64) {
        var sequences: [VLSequence] = []
        var words: [MaskedWord] = []
        for t in val[start..<min(start + 64, val.count)] {
          var tokens = view.tokens(t.text)
          words += Self.maskForProbe(
            &tokens, maskID: view.vocabulary.maskID, at: sequences.count, generator: g)
          sequences.append(VLSequence(a: tokens, whole: nil, regions: [], vocabulary: view.vocabulary))
        }
        let predicted = predictedWords(model, sequences, at: words.map(\.position))
        correct += zip(predicted, words).filter { $0 == $1.word }.count
        total += words.count
      }
    }
    return total == 0 ? 0 : 100 * Double(correct) / Double(total)
  }
}
