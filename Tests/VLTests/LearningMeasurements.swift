import Foundation
import NN
import Testing
import World

@testable import VL

/// The `small` world of seed 0, cached under `VL_MEASURE_DIR` (default /tmp/vl-measure).
private func smallWorld() throws -> (WorldData, WorldView) {
  let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VL_MEASURE_DIR"] ?? "/tmp/vl-measure")
  let version = WorldVersion(rawValue: Int(ProcessInfo.processInfo.environment["VERSION"] ?? "1")!)!
  let cache = ProcessInfo.processInfo.environment["WORLD_CACHE"].map { URL(fileURLWithPath: $0) }
  let world = try WorldCache.load(
    scale: .small, seed: 0, version: version, root: cache ?? root.appendingPathComponent("world"))
  return (world, WorldView(world))
}

/// The model every measurement starts from: `settings`, with ARCH if given, fresh weights or those of `INIT`.
private func measuredModel(_ settings: VLSettings, _ world: WorldData, _ view: WorldView) throws -> VLModel {
  let env = ProcessInfo.processInfo.environment
  var settings = settings
  if let a = env["ARCH"] { settings.arch = Architecture(rawValue: a)! }
  let model = VLModel(
    settings: settings, vocabulary: view.vocabulary, detector: world.detector?.network,
    generator: RandomGenerator(seed: 5))
  if let ck = env["INIT"] { try model.load(from: URL(fileURLWithPath: ck)) }
  return model
}

/// Measurement, run by hand: fine-tunes one task at `small` scale from a fresh model (or `INIT=model.safetensors`)
/// and prints the loss curve and the task's metrics beside the majority baseline. Knobs: TASK, LR, EPOCHS, DROPOUT, OPT (VCR's sgd | adamw).
///   VL_MEASURE_FINETUNE=1 TASK=refcoco EPOCHS=30 swift test -c release -Xswiftc -enable-testing --filter measureFineTuning
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_FINETUNE"] != nil))
func measureFineTuning() throws {
  let env = ProcessInfo.processInfo.environment
  let (world, view) = try smallWorld()
  var settings = smallSettings()
  if let lr = env["LR"].flatMap(Double.init) { settings.finetuneLR = lr }
  if let e = env["EPOCHS"].flatMap(Double.init) {
    settings.finetuneEpochs[FineTuneTask(rawValue: env["TASK"] ?? "vqa")!] = e
  }
  if let d = env["DROPOUT"].flatMap(Float.init) { settings.dropout = d }
  if let o = env["OPT"] { settings.vcrOptimizer = o }
  let task = FineTuneTask(rawValue: env["TASK"] ?? "vqa")!
  let fine = FineTuning(task: task, view: view, settings: settings)
  print("train count \(fine.trainCount) steps \(fine.steps)")
  let model = try measuredModel(settings, world, view)
  let head = TaskHead(
    hidden: settings.size.hidden, outputs: fine.downstream.headOutputs, generator: RandomGenerator(seed: 9))
  let t = Date()
  let curve = try fine.train(model: model, head: head, seed: 1)
  print("train time \(Date().timeIntervalSince(t))")
  let key = "\(task.rawValue)/loss"
  let losses = curve.points.compactMap { $0.values[key] }
  for i in stride(from: 0, to: losses.count, by: max(1, losses.count / 15)) {
    let w = losses[i..<min(i + 10, losses.count)]
    print("step \(i) loss \(w.reduce(0, +) / Double(w.count))")
  }
  print(fine.evaluate(model: model, head: head).sorted { $0.key < $1.key })
  print(fine.majorityBaseline())
}

/// Measurement, run by hand: caption MLM (plus MRC=1, TEXT=1 for the other factors) from `INIT`, printing every
/// 150 steps the masked-word accuracy with the image and with it blanked: equal accuracies mean no grounding.
/// GROUND=1 adds category and colour words and masked RoIs with and without the caption; VWR sets
/// `visual_word_rate`; VERSION and WORLD_CACHE pick the world (every measurement here reads them). SEED sets the
/// stream of batches and masks (77); with MRC=1, MRC_OWN_CROP=1 zeroes only a masked RoI's own crop and
/// MRC_NO_LOSS=1 zeroes the pixels without classifying the RoI.
///   VL_MEASURE_PRETRAIN=1 INIT=<bert_init stage>/model.safetensors STEPS=900 LR=1e-3 swift test -c release \
///     -Xswiftc -enable-testing --filter measurePretrainingGrounding
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_PRETRAIN"] != nil))
func measurePretrainingGrounding() throws {
  let env = ProcessInfo.processInfo.environment
  let (world, view) = try smallWorld()
  let settings = smallSettings()
  var f = PretrainFactors()
  f.textOnlyCorpus = env["TEXT"] != nil
  f.mrcLinguisticClues = env["MRC"] != nil
  f.tuneExtractor = env["FREEZE"] == nil
  let model = try measuredModel(settings, world, view)
  if let r = env["VWR"].flatMap(Double.init) { f.visualWordRate = r }
  var task = Pretraining(factors: f, view: view, batchSize: 32)
  task.maskedRoIOwnCropOnly = env["MRC_OWN_CROP"] != nil
  let g = RandomGenerator(seed: UInt64(env["SEED"] ?? "77")!)
  let route = env["ROUTE"] != nil
  let naming = route ? regionNamingItems(view, .train) : []
  let steps = Int(env["STEPS"] ?? "450")!
  let lr = Float(env["LR"].flatMap(Double.init) ?? 5e-4)
  var t = Date()
  for chunk in 0..<(steps / 150) {
    _ = try model.train(
      tuneExtractor: f.tuneExtractor, steps: 150,
      schedule: .linearWarmupDecay(
        peak: lr, warmupSteps: chunk == 0 ? 15 : 0, totalSteps: 150 * (steps / 150 - chunk)),
      optimizer: .adamw, prefix: "p"
    ) { _ in
      var sample = task.sample(generator: g)
      // MRC_NO_LOSS=1: MRC's masking zeroes the pixels, but no masked RoI is classified.
      if env["MRC_NO_LOSS"] != nil { sample.regions = [] }
      var (loss, values) = task.loss(model, sample, tuneExtractor: f.tuneExtractor)
      if route {
        // ROUTE=1: an auxiliary loss naming one region's category from a word position (all regions present).
        let (b, rows, labels) = regionNamingBatch(
          view, (0..<32).map { _ in naming[g.int(below: naming.count)] }, blank: false, allRegions: true)
        let aux = model.wordLogits(model.encoder(b, tuneExtractor: f.tuneExtractor).hidden.gatherRows(rows))
          .crossEntropy(labels: labels)
        values["route_loss"] = Double(aux.item)
        loss = loss + aux
      }
      return (loss, values)
    }
    if env["CLASSES"] != nil { printMaskedWordsByClass(model, view) }
    if env["GROUND"] != nil {
      let m = task.groundingMetrics(model)
      print(
        "GROUND \((chunk + 1) * 150) category \(m["pretrain/category_acc_val"]!) / \(m["pretrain/category_acc_blank_val"]!) colour \(m["pretrain/colour_acc_val"]!) / \(m["pretrain/colour_acc_blank_val"]!) mrc \(task.mrcAccuracy(model, caption: true)) / \(task.mrcAccuracy(model, caption: false))"
      )
    }
    print(
      "PRE \((chunk + 1) * 150) mlm \(task.mlmAccuracy(model, input: .image)) blank \(task.mlmAccuracy(model, input: .blank)) \(Date().timeIntervalSince(t)) s"
    )
    t = Date()
  }
  if let out = env["SAVE"] { try model.save(to: URL(fileURLWithPath: out)) }
}

/// Measurement, run by hand: masked-word accuracy on validation captions by word class (category, colour, texture,
/// size, other), with the image and with it blanked, for the model in `INIT` (e.g. a pre-training stage's
/// `model.safetensors`). Every word of every caption is masked once, alone, so the classes are measured exactly.
///   VL_MEASURE_MLM_CLASSES=1 INIT=<stage>/model.safetensors swift test -c release -Xswiftc -enable-testing \
///     --filter measureMaskedWordsByClass
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_MLM_CLASSES"] != nil))
func measureMaskedWordsByClass() throws {
  let env = ProcessInfo.processInfo.environment
  let (world, view) = try smallWorld()
  precondition(env["INIT"] != nil, "measureMaskedWordsByClass: set INIT to a model.safetensors")
  let model = try measuredModel(
    smallSettings(), world, view)
  printMaskedWordsByClass(model, view)
}

/// Prints masked-word accuracy on validation captions by word class, with the image and with it blanked.
private func printMaskedWordsByClass(_ model: VLModel, _ view: WorldView) {
  let task = Pretraining(factors: PretrainFactors(), view: view, batchSize: 32)
  for input in [Diagnostic.ImageInput.image, .blank] {
    let accuracy = task.wordClassAccuracy(model, input: input)
    for cls in Pretraining.WordClass.allCases {
      print("MLM \(input.rawValue) \(cls.rawValue) acc=\(accuracy[cls] ?? 0)")
    }
  }
}

/// Percent of `rows` of `batch` whose most likely word (frozen extractor, no tape) is its label.
private func wordAccuracy(_ model: VLModel, _ batch: VLBatch, rows: [Int], labels: [Int]) -> Double {
  Autograd.inference {
    let logits = model.wordLogits(model.encoder(batch, tuneExtractor: false).hidden.gatherRows(rows))
    let n = logits.lastDim
    let values = logits.scalars
    let hits = labels.indices.filter { k in
      let row = values[(k * n)..<((k + 1) * n)]
      return row.indices.max { row[$0] < row[$1] }! - k * n == labels[k]
    }
    return 100 * Double(hits.count) / Double(labels.count)
  }
}

/// (image, region, category word id) for the confidently detected non-background regions of caption images.
private func regionNamingItems(_ view: WorldView, _ split: Split) -> [(Int, Int, Int)] {
  var out: [(Int, Int, Int)] = []
  for c in view.world.captions where c.split == split {
    for (r, s) in view.detectedScores(c.image).enumerated() {
      let k = s.indices.max { s[$0] < s[$1] }!
      if k < Category.allCases.count && s[k] > 0.5 {
        out.append((c.image, r, view.vocabulary.id(Category.allCases[k].word)))
      }
    }
  }
  return out
}

/// `[CLS] [MASK] [SEP] [IMG]... [END]` with the named region (or all of the image's regions), the `[MASK]` rows
/// and the targets.
private func regionNamingBatch(
  _ view: WorldView, _ xs: [(Int, Int, Int)], blank: Bool, allRegions: Bool
) -> (VLBatch, [Int], [Int]) {
  let v = view.vocabulary
  let sequences = xs.map { x -> VLSequence in
    var regions = allRegions ? view.detected(x.0) : [view.detected(x.0)[x.1]]
    var whole = view.whole(x.0)
    if blank {
      whole.patch = [UInt8](repeating: 0, count: whole.patch.count)
      for r in regions.indices { regions[r].patch = [UInt8](repeating: 0, count: regions[r].patch.count) }
    }
    return VLSequence(a: [v.maskID], whole: whole, regions: regions, vocabulary: v)
  }
  let b = VLBatch(sequences, padID: v.padID)
  return (b, sequences.indices.map { b.flatIndex($0, 1, sequences[$0]) }, xs.map(\.2))
}

/// Measurement, run by hand: can a text position read a region at all? Each sequence is
/// `[CLS] [MASK] [SEP] [IMG] [END]` with one detected region of a caption image, and the `[MASK]` must name the
/// detector's category for it; the only route is attention from the word to the region (the whole-image feature
/// enters words through a layer norm whose scale starts at 0). Prints accuracy with the image and blanked, every
/// 100 steps, from a fresh model or `INIT` (ARCH=vlbert|visualbert|vilbert).
///   VL_MEASURE_ROUTING=1 swift test -c release -Xswiftc -enable-testing --filter measureWordReadsRegion
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_ROUTING"] != nil))
func measureWordReadsRegion() throws {
  let env = ProcessInfo.processInfo.environment
  let (world, view) = try smallWorld()
  let model = try measuredModel(
    smallSettings(), world, view)
  let all = env["ALL"] != nil
  let train = regionNamingItems(view, .train)
  let val = Array(regionNamingItems(view, .val).prefix(512))
  func batch(_ xs: [(Int, Int, Int)], blank: Bool) -> (VLBatch, [Int], [Int]) {
    regionNamingBatch(view, xs, blank: blank, allRegions: all)
  }
  func accuracy(blank: Bool) -> Double {
    let (b, rows, labels) = batch(val, blank: blank)
    return wordAccuracy(model, b, rows: rows, labels: labels)
  }
  let g = RandomGenerator(seed: 11)
  let steps = Int(env["STEPS"] ?? "300")!
  for chunk in 0..<(steps / 100) {
    _ = try model.train(
      tuneExtractor: false, steps: 100,
      schedule: .constant(learningRate: Float(env["LR"].flatMap(Double.init) ?? 5e-4)), optimizer: .adamw,
      prefix: "r"
    ) { _ in
      let (b, rows, labels) = batch((0..<32).map { _ in train[g.int(below: train.count)] }, blank: false)
      let loss = model.wordLogits(model.encoder(b, tuneExtractor: false).hidden.gatherRows(rows))
        .crossEntropy(labels: labels)
      return (loss, ["loss": Double(loss.item)])
    }
    print("ROUTE \((chunk + 1) * 100) image \(accuracy(blank: false)) blank \(accuracy(blank: true))")
  }
}

/// The settings of a `small`-scale cell with seed 1.
func smallSettings() -> VLSettings {
  var settings = VLSettings()
  settings.scale = .small
  return settings
}

/// Measurement, run by hand (issue 13 item 5): what the model in `INIT` (e.g. a BERT-init stage's
/// model.safetensors) predicts at masked caption words, and why. Prints caption MLM with the image, blanked, as
/// text only, with the whole image but no RoIs, and with the image but the words carrying the text-only vector
/// they were trained with; the sizes of the embeddings each word sums; and how much of the captions' language
/// the text corpus has (masked caption words it contains, the most common masked word's share).
///   VL_MEASURE_LANGUAGE=1 VERSION=1 VL_MEASURE_DIR=<root holding world/> INIT=<bert_init>/model.safetensors \
///     swift test -c release -Xswiftc -enable-testing --skip-build --filter measureCaptionLanguage
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_LANGUAGE"] != nil))
func measureCaptionLanguage() throws {
  let env = ProcessInfo.processInfo.environment
  let root = URL(fileURLWithPath: env["VL_MEASURE_DIR"] ?? "/tmp/vl-measure")
  let version = WorldVersion(rawValue: Int(env["VERSION"] ?? "1")!)!
  let world = try WorldCache.load(
    scale: .small, seed: 0, version: version, root: root.appendingPathComponent("world"))
  let view = WorldView(world)
  let model = try measuredModel(VLSettings(), world, view)
  let task = Pretraining(factors: PretrainFactors(), view: view, batchSize: 32)
  let v = view.vocabulary
  func rms(_ xs: [Float]) -> Double {
    (xs.map { Double($0 * $0) }.reduce(0, +) / Double(max(xs.count, 1))).squareRoot()
  }
  let encoder = model.encoder as! SingleStreamEncoder
  let h = encoder.hidden
  let tokens = encoder.tokenEmbedding.weight.scalars
  print("LANG rms token embedding \(rms(Array(tokens[(Vocabulary.specials.count * h)..<(v.count * h)])))")
  print("LANG rms position embedding \(rms(Array(encoder.positionEmbedding.weight.scalars.prefix(40 * h))))")
  print("LANG rms segment A \(rms(Array(encoder.segmentEmbedding.weight.scalars.prefix(h))))")
  print("LANG rms text-only visual vector \(rms(encoder.visualEmbedding.textOnly.scalars))")
  print("LANG rms whole-image norm bias \(rms(encoder.visualEmbedding.textNorm.bias.scalars))")
  print("LANG rms [IMG] token embedding \(rms(Array(tokens[(v.count * h)..<((v.count + 1) * h)])))")

  // The same masked words (the diagnostics' picks) under each image part.
  let val = Array(world.captions.filter { $0.split == .val }.prefix(400))
  let textWords = Set(world.text.filter { $0.split == .train }.flatMap { view.tokens($0.text, limit: 1000) })
  enum Variant: String, CaseIterable { case image, blank, none, wholeOnly, imageTextVector }
  var counts: [Int: Int] = [:]
  var covered = 0
  var total = 0
  var correct: [Variant: Int] = [:]
  var correctCovered: [Variant: Int] = [:]
  let g = RandomGenerator(seed: 0x5EED_0F_CA95)
  var items: [(caption: CaptionSample, tokens: [Int], picked: [MaskedWord])] = []
  for c in val {
    var t = view.tokens(c.caption)
    let picked = Pretraining.maskForProbe(&t, maskID: v.maskID, generator: g)
    items.append((c, t, picked))
    for p in picked {
      counts[p.word, default: 0] += 1
      total += 1
      if textWords.contains(p.word) { covered += 1 }
    }
  }
  for variant in Variant.allCases {
    Autograd.inference {
      for start in stride(from: 0, to: items.count, by: 64) {
        let chunk = Array(items[start..<min(start + 64, items.count)])
        let sequences = chunk.map { item -> VLSequence in
          switch variant {
          case .image, .imageTextVector:
            task.captionSequence(item.tokens, image: item.caption.image, input: .image)
          case .blank: task.captionSequence(item.tokens, image: item.caption.image, input: .blank)
          case .none: task.captionSequence(item.tokens, image: item.caption.image, input: .none)
          case .wholeOnly:
            VLSequence(a: item.tokens, whole: view.whole(item.caption.image), regions: [], vocabulary: v)
          }
        }
        var batch = VLBatch(sequences, padID: v.padID)
        if variant == .imageTextVector {
          for b in 0..<batch.size {
            for e in 0..<sequences[b].textCount {
              let k = b * batch.length + e
              if batch.visualRows[k] >= 0 && batch.isWhole[batch.visualRows[k]] {
                batch.visualRows[k] = VLBatch.textOnly
              }
            }
          }
        }
        let positions = chunk.enumerated().flatMap { b, item in
          item.picked.map { (b, $0.position.element, $0.word) }
        }
        let hidden = model.encoder(batch, tuneExtractor: false).hidden
        let logits = model.wordLogits(
          hidden.gatherRows(positions.map { batch.flatIndex($0.0, $0.1, sequences[$0.0]) })
        ).scalars
        let n = logits.count / max(positions.count, 1)
        for (i, p) in positions.enumerated() {
          let row = logits[(i * n)..<((i + 1) * n)]
          guard row.indices.max(by: { row[$0] < row[$1] })! - i * n == p.2 else { continue }
          correct[variant, default: 0] += 1
          if textWords.contains(p.2) { correctCovered[variant, default: 0] += 1 }
        }
      }
    }
    print(
      "LANG mlm \(variant.rawValue) \(100 * Double(correct[variant] ?? 0) / Double(total)) on words the text corpus has \(100 * Double(correctCovered[variant] ?? 0) / Double(max(covered, 1)))"
    )
  }
  let top = counts.max { $0.value < $1.value }!
  print("LANG masked caption words \(total), in the text corpus \(100 * Double(covered) / Double(total))%")
  print("LANG most common masked word '\(v.token(top.key))' \(100 * Double(top.value) / Double(total))%")
}

/// Measurement, run by hand (issue 13): how much an image can tell by its bag of objects alone, the first rung
/// a model climbs before it matches words to single regions. On the validation captions: masked category words
/// guessed as the most common training category, or as the most common training category among the image's
/// objects; masked RoIs (the detector's class) guessed as the most common class, or as the class most often found
/// in training images whose captions mention the same categories. Ceilings of a bag-level model, no training.
///   VL_MEASURE_CEILINGS=1 VERSION=2 WORLD_CACHE=<cache root> swift test -c release -Xswiftc -enable-testing \
///     --skip-build --filter measureGroundingCeilings
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_CEILINGS"] != nil))
func measureGroundingCeilings() throws {
  let (world, view) = try smallWorld()
  var categoryOfWord: [String: Int] = [:]
  for (k, c) in Category.allCases.enumerated() {
    categoryOfWord[c.word] = k
    categoryOfWord[c.plural] = k
  }
  func mentioned(_ c: CaptionSample) -> [Int] {
    Vocabulary.words(c.caption).compactMap { categoryOfWord[$0] }
  }
  func present(_ image: Int) -> Set<Int> {
    Set(world.images[view.index[image]!].objects.map { Category.allCases.firstIndex(of: $0.category)! })
  }
  func detectedClasses(_ image: Int) -> [Int] { view.detectedScores(image).map { VLMetrics.argmax($0[...]) } }
  let train = world.captions.filter { $0.split == .train }
  let val = world.captions.filter { $0.split == .val && $0.aligned }
  var wordCounts = [Int](repeating: 0, count: Category.allCases.count)
  var classCounts = [Int](repeating: 0, count: Detector.classes)
  var byMentions: [[Int]: [Int]] = [:]
  for c in train {
    for k in mentioned(c) { wordCounts[k] += 1 }
    let key = Set(mentioned(c)).sorted()
    for k in detectedClasses(c.image) {
      classCounts[k] += 1
      byMentions[key, default: [Int](repeating: 0, count: Detector.classes)][k] += 1
    }
  }
  func best(_ counts: [Int]) -> Int { counts.indices.max { counts[$0] < counts[$1] }! }
  var words = 0
  var wordPrior = 0
  var wordBag = 0
  var wordSalient = 0
  var wordSalientOther = 0
  var rois = 0
  var roiPrior = 0
  var roiBag = 0
  for c in val {
    let here = present(c.image)
    let bagGuess = here.max { wordCounts[$0] < wordCounts[$1] }!
    // The category with the most visible area: what a reader of the image's salient subject guesses.
    var area = [Float](repeating: 0, count: Category.allCases.count)
    for o in world.images[view.index[c.image]!].objects {
      area[Category.allCases.firstIndex(of: o.category)!] += o.box.area * o.visible
    }
    let ms = mentioned(c)
    for (i, k) in ms.enumerated() {
      words += 1
      if k == best(wordCounts) { wordPrior += 1 }
      if k == bagGuess { wordBag += 1 }
      if k == area.indices.max(by: { area[$0] < area[$1] })! { wordSalient += 1 }
      // Also reading the caption: the largest category the caption does not already name.
      let others = Set(ms.enumerated().filter { $0.offset != i }.map(\.element))
      let rest = area.indices.filter { !others.contains($0) && area[$0] > 0 }
      if let g = rest.max(by: { area[$0] < area[$1] }), g == k { wordSalientOther += 1 }
    }
    let guess = byMentions[Set(mentioned(c)).sorted()].map(best) ?? best(classCounts)
    for k in detectedClasses(c.image) {
      rois += 1
      if k == best(classCounts) { roiPrior += 1 }
      if k == guess { roiBag += 1 }
    }
  }
  func pct(_ a: Int, _ n: Int) -> String { String(format: "%.1f", 100 * Double(a) / Double(max(n, 1))) }
  // The detector on each validation caption image's largest object: its best-overlapping region's class.
  var largest = 0
  var largestRight = 0
  var largestFound = 0
  for image in Set(val.map(\.image)) {
    let objects = world.images[view.index[image]!].objects
    let o = objects.max { $0.box.area * $0.visible < $1.box.area * $1.visible }!
    let rows = world.detected.rows(of: view.index[image]!)
    // Detected boxes are stored normalized to the canvas.
    func overlap(_ r: Int) -> Float {
      o.box.iou(Box(corners: world.detected.box(r).map { $0 * Float(Scene.size) }))
    }
    let best = rows.max { overlap($0) < overlap($1) }!
    largest += 1
    if overlap(best) > 0.5 { largestFound += 1 }
    if VLMetrics.argmax(Array(world.detected.classScores(best))[...]) == Category.allCases.firstIndex(
      of: o.category)!
    {
      largestRight += 1
    }
  }
  print(
    "CEILING largest objects \(largest): a detected region at IoU > 0.5 \(pct(largestFound, largest)), its class right \(pct(largestRight, largest))"
  )
  print(
    "CEILING category words \(words): prior \(pct(wordPrior, words)), bag of the image's objects \(pct(wordBag, words))"
  )
  print(
    "CEILING category words: largest visible category \(pct(wordSalient, words)), the largest the caption does not name elsewhere \(pct(wordSalientOther, words))"
  )
  print(
    "CEILING masked RoIs \(rois): prior \(pct(roiPrior, rois)), bag of the caption's categories \(pct(roiBag, rois))"
  )
}

/// Measurement, run by hand (issue 13, version 3): can the masked name of a caption photo's subject be read
/// from the image? Each sequence holds all of an aligned training caption image's detected regions and, as
/// text, either `[MASK]` alone or (CONTEXT=1) the caption with the subject's word masked. Prints accuracy with
/// the image and blanked every 100 steps, from a fresh model or `INIT`.
///   VL_MEASURE_SUBJECT=1 VERSION=3 WORLD_CACHE=<cache> [CONTEXT=1] [INIT=...] .build/release/ablatePackageTests.xctest \
///     --testing-library swift-testing --filter measureSubjectWord
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_SUBJECT"] != nil))
func measureSubjectWord() throws {
  let env = ProcessInfo.processInfo.environment
  let (world, view) = try smallWorld()
  let model = try measuredModel(smallSettings(), world, view)
  let v = view.vocabulary
  let context = env["CONTEXT"] != nil
  struct Item {
    var image: Int
    var tokens: [Int]
    var masked: Int
    var word: Int
  }
  func items(_ split: Split) -> [Item] {
    world.captions.filter { $0.split == split && $0.aligned }.compactMap { c in
      let subject = world.images[view.index[c.image]!].objects[0].category
      let tokens = view.tokens(c.caption)
      guard let i = tokens.firstIndex(where: { $0 == v.id(subject.word) || $0 == v.id(subject.plural) })
      else { return nil }
      return Item(image: c.image, tokens: tokens, masked: i, word: tokens[i])
    }
  }
  let train = items(.train)
  let val = Array(items(.val).prefix(400))
  func batch(_ xs: [Item], blank: Bool) -> (VLBatch, [Int], [Int]) {
    let sequences = xs.map { x -> VLSequence in
      var tokens = context ? x.tokens : [v.maskID]
      if context { tokens[x.masked] = v.maskID }
      var regions = view.detected(x.image)
      var whole = view.whole(x.image)
      if blank {
        whole.patch = [UInt8](repeating: 0, count: whole.patch.count)
        for r in regions.indices { regions[r].patch = [UInt8](repeating: 0, count: regions[r].patch.count) }
      }
      return VLSequence(a: tokens, whole: whole, regions: regions, vocabulary: v)
    }
    let b = VLBatch(sequences, padID: v.padID)
    let rows = xs.indices.map { b.flatIndex($0, 1 + (context ? xs[$0].masked : 0), sequences[$0]) }
    return (b, rows, xs.map(\.word))
  }
  func accuracy(blank: Bool) -> Double {
    let (b, rows, labels) = batch(val, blank: blank)
    return wordAccuracy(model, b, rows: rows, labels: labels)
  }
  let g = RandomGenerator(seed: 11)
  print(
    "SUBJECT items train \(train.count) val \(val.count) start image \(accuracy(blank: false)) blank \(accuracy(blank: true))"
  )
  for chunk in 0..<(Int(env["STEPS"] ?? "300")! / 100) {
    _ = try model.train(
      tuneExtractor: false, steps: 100,
      schedule: .constant(learningRate: Float(env["LR"].flatMap(Double.init) ?? 5e-4)), optimizer: .adamw,
      prefix: "s"
    ) { _ in
      let xs = (0..<32).map { _ in train[g.int(below: train.count)] }
      if env["MLM"] != nil {
        // MLM=1: BERT's masking over the whole caption as pre-training does, the subject's word always among
        // the targets, and the loss over every masked word.
        var sequences: [VLSequence] = []
        var rows: [BatchPosition] = []
        var labels: [Int] = []
        for x in xs {
          var (tokens, picked) = Masking.maskWords(x.tokens, vocabulary: v, generator: g)
          picked[x.masked] = x.word
          tokens[x.masked] = v.maskID
          for (i, w) in picked.enumerated() where w >= 0 {
            rows.append(BatchPosition(sequence: sequences.count, element: 1 + i))
            labels.append(w)
          }
          sequences.append(
            VLSequence(a: tokens, whole: view.whole(x.image), regions: view.detected(x.image), vocabulary: v))
        }
        let b = VLBatch(sequences, padID: v.padID)
        let hidden = model.encoder(b, tuneExtractor: false).hidden
        let loss = model.wordLogits(hidden.gatherRows(rows.map { b.flatIndex($0, in: sequences) }))
          .crossEntropy(labels: labels)
        return (loss, ["loss": Double(loss.item)])
      }
      let (b, rows, labels) = batch(xs, blank: false)
      let loss = model.wordLogits(model.encoder(b, tuneExtractor: false).hidden.gatherRows(rows))
        .crossEntropy(labels: labels)
      return (loss, ["loss": Double(loss.item)])
    }
    print("SUBJECT \((chunk + 1) * 100) image \(accuracy(blank: false)) blank \(accuracy(blank: true))")
  }
}
