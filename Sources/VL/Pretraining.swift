import Foundation
import NN
import World

/// Visual-linguistic pre-training (and, with only the text corpus on, the BERT-initialisation stage).
public struct Pretraining {
  public var factors: PretrainFactors
  public var view: WorldView
  public var batchSize: Int
  /// BERT-init: text-only MLM only.
  public var textOnlyStage = false
  /// Masked RoIs zero only their own crop (`Masking.apply`); a measurement knob, false in every stage.
  public var maskedRoIOwnCropOnly = false

  let captions: [CaptionSample]
  let text: [TextSample]
  let visualWords: Set<Int>
  /// Every confidently detected object region of a training caption's image, with its category word.
  let namedRegions: [NamedRegion]

  public init(factors: PretrainFactors, view: WorldView, batchSize: Int, textOnlyStage: Bool = false) {
    self.factors = factors
    self.view = view
    self.batchSize = batchSize
    self.textOnlyStage = textOnlyStage
    captions = view.world.captions.filter { $0.split == .train }
    text = view.world.text.filter { $0.split == .train }
    visualWords = Masking.visualWords(view.vocabulary)
    namedRegions =
      factors.regionNaming && !textOnlyStage
      ? Pretraining.namedRegions(view, captions, attributes: factors.regionAttributes) : []
  }

  /// Regions the detector puts in an object category with probability above 0.5, with that category's word;
  /// with `attributes`, also the colour and the texture word of each of the image's objects.
  static func namedRegions(
    _ view: WorldView, _ captions: [CaptionSample], attributes: Bool = false
  ) -> [NamedRegion] {
    let categories = Category.allCases
    let v = view.vocabulary
    var out: [NamedRegion] = []
    for image in Set(captions.map(\.image)).sorted() {
      for s in view.detectedScores(image) {
        let k = s.indices.max { s[$0] < s[$1] }!
        if k < categories.count && s[k] > 0.5 {
          out.append(NamedRegion(image: image, word: v.id(categories[k].word)))
        }
      }
      guard attributes else { continue }
      for o in view.world.images[image].objects {
        out.append(NamedRegion(image: image, word: v.id(o.colour.word)))
        out.append(NamedRegion(image: image, word: v.id(o.texture.word)))
      }
    }
    return out
  }

  /// One batch's sequences and the targets of its three tasks.
  public struct Sample {
    public var sequences: [VLSequence] = []
    public var words: [MaskedWord] = []
    public var regions: [MaskedRegion] = []
    public var relation: [RelationLabel] = []
    /// Region naming: `[CLS] [MASK] [SEP] [IMG]... [END]` with all of an image's RoIs, and the category word of
    /// one of them that the `[MASK]` must predict (a separate batch: these sequences are short).
    public var naming: [VLSequence] = []
    public var namingWords: [Int] = []
  }

  /// A caption-image pair in the VL-BERT layout with the configured masking, as sequence `b` of its batch.
  public func pair(
    caption: CaptionSample, image: Int, mlm: Bool, mrc: Bool, at b: Int, generator g: RandomGenerator
  ) -> MaskedSequence {
    let v = view.vocabulary
    var tokens = view.tokens(caption.caption)
    var labels = [Int](repeating: -1, count: tokens.count)
    if mlm {
      (tokens, labels) = Masking.maskWords(
        tokens, vocabulary: v, generator: g, emphasis: visualWords,
        emphasisRate: Float(factors.visualWordRate))
    }
    var whole = view.whole(image)
    var regions = view.detected(image)
    var maskedRegions: [Bool] = Array(repeating: false, count: regions.count)
    if mrc {
      maskedRegions = Masking.pickRegions(regions.count, generator: g)
      (whole, regions) = Masking.apply(
        mask: maskedRegions, whole: whole, regions: regions, ownCropOnly: maskedRoIOwnCropOnly)
    }
    let s = VLSequence(a: tokens, whole: whole, regions: regions, vocabulary: v)
    let scores = view.detectedScores(image)
    let rois = maskedRegions.enumerated().filter(\.element).map {
      MaskedRegion(
        position: BatchPosition(sequence: b, element: s.regionElement($0.offset)),
        classScores: scores[$0.offset])
    }
    return MaskedSequence(sequence: s, words: Self.maskedWords(labels, at: b), regions: rois)
  }

  /// A text-only sequence `[CLS] text [SEP]` with MLM, as sequence `b` of its batch.
  public func textOnly(_ sample: TextSample, at b: Int, generator g: RandomGenerator) -> MaskedSequence {
    let (tokens, labels) = Masking.maskWords(
      view.tokens(sample.text), vocabulary: view.vocabulary, generator: g)
    let s = VLSequence(a: tokens, whole: nil, regions: [], vocabulary: view.vocabulary)
    return MaskedSequence(sequence: s, words: Self.maskedWords(labels, at: b))
  }

  /// The masked words of sequence `b` from `Masking.maskWords`' labels (elements count `[CLS]`).
  static func maskedWords(_ labels: [Int], at b: Int) -> [MaskedWord] {
    labels.enumerated().filter { $0.element >= 0 }.map {
      MaskedWord(position: BatchPosition(sequence: b, element: 1 + $0.offset), word: $0.element)
    }
  }

  public func sample(generator g: RandomGenerator) -> Sample {
    var out = Sample()
    let textCount = textOnlyStage ? batchSize : (factors.textOnlyCorpus ? batchSize / 2 : 0)
    for _ in 0..<(batchSize - textCount) {
      var caption = captions[g.int(below: captions.count)]
      let image = caption.image
      var matched = 1
      if factors.sentenceImageRelation && g.uniform() < 0.5 {
        repeat { caption = captions[g.int(below: captions.count)] } while caption.image == image
        matched = 0
      }
      let b = out.sequences.count
      let masked = pair(
        caption: caption, image: image, mlm: factors.mlmVisualClues, mrc: factors.mrcLinguisticClues, at: b,
        generator: g)
      out.sequences.append(masked.sequence)
      out.words += masked.words
      out.regions += masked.regions
      if factors.sentenceImageRelation {
        out.relation.append(RelationLabel(sequence: b, matched: matched == 1))
      }
    }
    for _ in 0..<textCount {
      let masked = textOnly(text[g.int(below: text.count)], at: out.sequences.count, generator: g)
      out.sequences.append(masked.sequence)
      out.words += masked.words
    }
    if !namedRegions.isEmpty {
      for _ in 0..<batchSize {
        let named = namedRegions[g.int(below: namedRegions.count)]
        out.naming.append(
          VLSequence(
            a: [view.vocabulary.maskID], whole: view.whole(named.image), regions: view.detected(named.image),
            vocabulary: view.vocabulary))
        out.namingWords.append(named.word)
      }
    }
    return out
  }

  /// The summed loss and its parts for one batch.
  public func loss(_ model: VLModel, _ sample: Sample, tuneExtractor: Bool) -> (Tensor, [String: Double]) {
    let batch = VLBatch(sample.sequences, padID: view.vocabulary.padID)
    let encoded = model.encoder(batch, tuneExtractor: tuneExtractor)
    var parts: [Tensor] = []
    var values: [String: Double] = [:]
    func flat(_ p: BatchPosition) -> Int { batch.flatIndex(p, in: sample.sequences) }
    if !sample.words.isEmpty {
      let rows = encoded.hidden.gatherRows(sample.words.map { flat($0.position) })
      let l = model.wordLogits(rows).crossEntropy(labels: sample.words.map(\.word))
      parts.append(l)
      values["mlm_loss"] = Double(l.item)
    }
    if !sample.regions.isEmpty {
      let rows = encoded.hidden.gatherRows(sample.regions.map { flat($0.position) })
      let targets = Tensor(
        sample.regions.flatMap(\.classScores), shape: [sample.regions.count, Detector.classes])
      let l = model.mrc(rows).softCrossEntropy(targets: targets)
      parts.append(l)
      values["mrc_loss"] = Double(l.item)
    }
    if !sample.relation.isEmpty {
      let rows = encoded.pooled.gatherRows(sample.relation.map(\.sequence))
      let l = model.relation(rows).crossEntropy(labels: sample.relation.map { $0.matched ? 1 : 0 })
      parts.append(l)
      values["sir_loss"] = Double(l.item)
    }
    if !sample.naming.isEmpty {
      let names = VLBatch(sample.naming, padID: view.vocabulary.padID)
      let hidden = model.encoder(names, tuneExtractor: tuneExtractor).hidden
      let rows = hidden.gatherRows(sample.naming.indices.map { names.flatIndex($0, 1, sample.naming[$0]) })
      let l = model.wordLogits(rows).crossEntropy(labels: sample.namingWords)
      parts.append(l)
      values["naming_loss"] = Double(l.item)
    }
    let total = parts.dropFirst().reduce(parts[0], +)
    values["loss"] = Double(total.item)
    return (total, values)
  }

  /// MLM accuracy (percent) on validation captions with `input` as their image part: every picked word is
  /// replaced by `[MASK]`; the same words are picked whatever the input.
  public func mlmAccuracy(_ model: VLModel, input: Diagnostic.ImageInput, limit: Int = 400) -> Double {
    let g = RandomGenerator(seed: 0x5EED_0F_CA95)
    let val = Array(view.world.captions.filter { $0.split == .val }.prefix(limit))
    var correct = 0
    var total = 0
    Autograd.inference {
      var start = 0
      while start < val.count {
        let chunk = val[start..<min(start + 64, val.count)]
        start += 64
        var sequences: [VLSequence] = []
        var words: [MaskedWord] = []
        for c in chunk {
          var tokens = view.tokens(c.caption)
          words += Self.maskForProbe(
            &tokens, maskID: view.vocabulary.maskID, at: sequences.count, generator: g)
          sequences.append(captionSequence(tokens, image: c.image, input: input))
        }
        let predicted = predictedWords(model, sequences, at: words.map(\.position))
        correct += zip(predicted, words).filter { $0 == $1.word }.count
        total += words.count
      }
    }
    return total == 0 ? 0 : 100 * Double(correct) / Double(total)
  }

  /// Masks each token with probability 0.15 (at least one of a non-empty text) for an evaluation probe;
  /// returns each masked token as a word of sequence `b` (elements counted after `[CLS]`).
  static func maskForProbe(
    _ tokens: inout [Int], maskID: Int, at b: Int = 0, generator g: RandomGenerator
  ) -> [MaskedWord] {
    var picked: [MaskedWord] = []
    func mask(_ i: Int) {
      picked.append(MaskedWord(position: BatchPosition(sequence: b, element: 1 + i), word: tokens[i]))
      tokens[i] = maskID
    }
    for i in tokens.indices where g.uniform() < 0.15 { mask(i) }
    if picked.isEmpty, !tokens.isEmpty { mask(g.int(below: tokens.count)) }
    return picked
  }

  /// `[CLS] tokens [SEP]` with `image`'s whole-image feature and detected RoIs; `.blank` zeroes every pixel
  /// (boxes kept), which is how the metrics measure what the image adds; `.none` leaves the visual part out.
  func captionSequence(_ tokens: [Int], image: Int, input: Diagnostic.ImageInput) -> VLSequence {
    if input == .none { return VLSequence(a: tokens, whole: nil, regions: [], vocabulary: view.vocabulary) }
    var whole = view.whole(image)
    var regions = view.detected(image)
    if input == .blank {
      whole.patch = [UInt8](repeating: 0, count: whole.patch.count)
      for r in regions.indices { regions[r].patch = [UInt8](repeating: 0, count: regions[r].patch.count) }
    }
    return VLSequence(a: tokens, whole: whole, regions: regions, vocabulary: view.vocabulary)
  }

  /// The model's most likely word at each position of `sequences`, run as one batch (inference).
  func predictedWords(_ model: VLModel, _ sequences: [VLSequence], at positions: [BatchPosition]) -> [Int] {
    let batch = VLBatch(sequences, padID: view.vocabulary.padID)
    let hidden = model.encoder(batch, tuneExtractor: false).hidden
    let logits = model.wordLogits(hidden.gatherRows(positions.map { batch.flatIndex($0, in: sequences) }))
    let n = logits.lastDim
    let values = logits.scalars
    return positions.indices.map { k in
      let row = values[(k * n)..<((k + 1) * n)]
      return row.indices.max { row[$0] < row[$1] }! - k * n
    }
  }
}
