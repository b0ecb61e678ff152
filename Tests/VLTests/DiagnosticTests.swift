import NN
import Testing
import World

@testable import VL

/// The smoke world of version 2 (colour survives in its detector's features), built once.
enum DiagnosticWorld {
  static let view = WorldView(WorldData.build(seed: 0, scale: .smoke, version: .v2))
  static func model(seed: UInt64 = 3) -> VLModel {
    VLModel(
      settings: VLSettings(), vocabulary: view.vocabulary, detector: view.world.detector?.network,
      generator: RandomGenerator(seed: seed))
  }
  static var pretraining: Pretraining { Pretraining(factors: PretrainFactors(), view: view, batchSize: 8) }
}

/// Each diagnostic is computed on held-out data, its inputs differ as its name says, and on a rigged model
/// it gives the number one can work out by hand.
@Suite struct DiagnosticTests {
  let view = DiagnosticWorld.view
  let task = DiagnosticWorld.pretraining

  @Test func blankingOrRemovingTheImageChangesTheInputAndNothingElse() throws {
    let caption = try #require(view.world.captions.first { $0.split == .val })
    let tokens = view.tokens(caption.caption)
    let image = task.captionSequence(tokens, image: caption.image, input: .image)
    let blank = task.captionSequence(tokens, image: caption.image, input: .blank)
    let none = task.captionSequence(tokens, image: caption.image, input: .none)
    #expect(image.tokens == blank.tokens && image.regions.map(\.box) == blank.regions.map(\.box))
    #expect(image.regions == view.detected(caption.image) && image.whole == view.whole(caption.image))
    #expect(image.regions.contains { $0.patch.contains { $0 != 0 } })
    #expect(blank.regions.allSatisfy { $0.patch.allSatisfy { $0 == 0 } })
    #expect(blank.whole!.patch.allSatisfy { $0 == 0 } && image.whole!.patch.contains { $0 != 0 })
    #expect(
      none.whole == nil && none.regions.isEmpty
        && Array(none.tokens.prefix(none.textCount)) == Array(image.tokens.prefix(image.textCount)))
    #expect(none.count == image.textCount)
  }

  @Test func everyDiagnosticIsRecordedByAPretrainingStage() {
    let m = task.diagnostics(DiagnosticWorld.model())
    var names =
      Diagnostic.ImageInput.allCases.map(Diagnostic.mlm) + [
        Diagnostic.mlmImageGain, Diagnostic.mrcWithCaption, Diagnostic.mrcWithoutCaption,
        Diagnostic.mrcCaptionGain,
        Diagnostic.relation, Diagnostic.cloze(stage: "pretrain"),
      ]
    for c in Pretraining.WordClass.allCases {
      names += [
        Diagnostic.wordClass(c, .image), Diagnostic.wordClass(c, .blank), Diagnostic.wordClassGain(c),
      ]
    }
    #expect(Set(names).count == names.count, "names are distinct")
    #expect(Set(m.keys) == Set(names))
    for (k, v) in m { #expect(v >= -100 && v <= 100, "\(k) = \(v)") }
    #expect(m[Diagnostic.mlmImageGain] == m[Diagnostic.mlm(.image)]! - m[Diagnostic.mlm(.blank)]!)
  }

  /// A model whose word decoder always says one word scores exactly that word's share of the masked words,
  /// whatever the image part holds.
  @Test func maskedWordAndClozeAccuracyCountTheMaskedWords() throws {
    let model = DiagnosticWorld.model()
    let the = view.vocabulary.id("the")
    var bias = [Float](repeating: 0, count: model.mlmBias.scalars.count)
    bias[the] = 1e4
    model.mlmBias.assign(bias)
    func share(_ texts: [String], seed: UInt64) -> Double {
      let g = RandomGenerator(seed: seed)
      var hits = 0
      var total = 0
      for t in texts {
        var tokens = view.tokens(t)
        let picked = Pretraining.maskForProbe(&tokens, maskID: view.vocabulary.maskID, generator: g)
        hits += picked.filter { $0.word == the }.count
        total += picked.count
      }
      return 100 * Double(hits) / Double(total)
    }
    let captions = view.world.captions.filter { $0.split == .val }.prefix(400).map(\.caption)
    let expected = share(Array(captions), seed: 0x5EED_0F_CA95)
    #expect(expected > 0)
    for input in Diagnostic.ImageInput.allCases {
      #expect(abs(task.mlmAccuracy(model, input: input) - expected) < 1e-9)
    }
    let passages = view.world.text.filter { $0.split == .val }.prefix(400).map(\.text)
    #expect(abs(task.clozeAccuracy(model) - share(Array(passages), seed: 0xC102_E5EE_D)) < 1e-9)
  }

  /// A relation head that always says "matched" is right on the matched half of the pairs only.
  @Test func relationAccuracyPairsEveryCaptionWithAnotherImage() {
    let model = DiagnosticWorld.model()
    model.relation.weight.assign([Float](repeating: 0, count: model.relation.weight.scalars.count))
    model.relation.bias!.assign([0, 1])
    #expect(task.relationAccuracy(model) == 50)
    model.relation.bias!.assign([1, 0])
    #expect(task.relationAccuracy(model) == 50)
  }

  /// A masked-RoI head that always names one class scores that class's share of the masked RoIs, with or
  /// without the caption; an untrained model reads the caption (its RoI outputs change without it).
  @Test func maskedRoIAccuracyWithAndWithoutTheCaption() throws {
    let model = DiagnosticWorld.model()
    let untrained = (task.mrcAccuracy(model, caption: true), task.mrcAccuracy(model, caption: false))
    #expect(untrained.0 >= 0 && untrained.1 >= 0)
    let caption = try #require(task.alignedValidationCaptions(limit: 1).first)
    let regions = view.detected(caption.image)
    func hidden(_ words: [Int]) -> [Float] {
      let s = VLSequence(
        a: words, whole: view.whole(caption.image), regions: regions, vocabulary: view.vocabulary)
      let batch = VLBatch([s], padID: view.vocabulary.padID)
      return Autograd.inference {
        model.encoder(batch, tuneExtractor: false).hidden.gatherRows([
          batch.flatIndex(0, s.regionElement(0), s)
        ])
        .scalars
      }
    }
    #expect(hidden(view.tokens(caption.caption)) != hidden([]))

    let k = Detector.classes
    let g = RandomGenerator(seed: 0x3A5C_0F_4015)
    var counts = [Int](repeating: 0, count: k)
    for c in task.alignedValidationCaptions(limit: 400) {
      let scores = view.detectedScores(c.image)
      for (r, m) in Pretraining.probeRegions(scores.count, generator: g).enumerated() where m {
        counts[VLMetrics.argmax(scores[r][...])] += 1
      }
    }
    let common = counts.indices.max { counts[$0] < counts[$1] }!
    model.mrc.weight.assign([Float](repeating: 0, count: model.mrc.weight.scalars.count))
    model.mrc.bias!.assign((0..<k).map { $0 == common ? 1 : 0 })
    let (hits, total) = (counts[common], counts.reduce(0, +))
    #expect(hits > 0 && hits < total)
    let expected = 100 * Double(hits) / Double(total)
    #expect(abs(task.mrcAccuracy(model, caption: true) - expected) < 1e-9)
    #expect(abs(task.mrcAccuracy(model, caption: false) - expected) < 1e-9)
  }

  /// Colour and texture probes read the attributes from version 2's detector features, and score at the
  /// majority share when fitted on shuffled labels.
  @Test func attributeProbesScoreAtChanceOnShuffledLabels() {
    let probe = AttributeProbe(view: view)
    let extractor = DiagnosticWorld.model().encoder.extractor
    let real = probe.accuracy(extractor)
    let shuffled = probe.accuracy(extractor, shuffled: true)
    for attribute in Diagnostic.Attribute.allCases {
      let labels = probe.testObjects.map { AttributeProbe.label($0, attribute) }
      let majority =
        100 * Double(Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +).values.max()!)
        / Double(labels.count)
      #expect(real[attribute]! > majority + 10, "\(attribute): \(real[attribute]!) vs majority \(majority)")
      #expect(shuffled[attribute]! < majority + 8, "\(attribute) shuffled: \(shuffled[attribute]!)")
    }
    let m = probe.metrics(stage: "vqa", extractor, before: true)
    #expect(Set(m.keys) == ["vqa/colour_probe_before_val", "vqa/texture_probe_before_val"])
  }
}
