import Foundation
import NN
import Testing
import World

@testable import VL

/// The `small` world of seed 0, cached under `VL_MEASURE_DIR` (default /tmp/vl-measure).
private func smallWorld() throws -> (WorldData, WorldView) {
  let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VL_MEASURE_DIR"] ?? "/tmp/vl-measure")
  let world = try WorldCache.load(scale: .small, seed: 0, root: root.appendingPathComponent("world"))
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
  let outputs = task == .vqa ? world.answers.count : 1
  let head = TaskHead(hidden: settings.size.hidden, outputs: outputs, generator: RandomGenerator(seed: 9))
  let t = Date()
  let curve = fine.train(model: model, head: head, seed: 1)
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
  let task = Pretraining(factors: f, view: view, batchSize: 32)
  let g = RandomGenerator(seed: 77)
  let route = env["ROUTE"] != nil
  let naming = route ? regionNamingItems(view, .train) : []
  let steps = Int(env["STEPS"] ?? "450")!
  let lr = Float(env["LR"].flatMap(Double.init) ?? 5e-4)
  var t = Date()
  for chunk in 0..<(steps / 150) {
    _ = TrainingLoop.run(
      model: model, tuneExtractor: f.tuneExtractor, steps: 150,
      schedule: .linearWarmupDecay(
        peak: lr, warmupSteps: chunk == 0 ? 15 : 0, totalSteps: 150 * (steps / 150 - chunk)),
      optimizer: .adamw, prefix: "p"
    ) { _ in
      var (loss, values) = task.loss(model, task.sample(generator: g), tuneExtractor: f.tuneExtractor)
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
    Autograd.inference {
      let (b, rows, labels) = batch(val, blank: blank)
      let logits = model.wordLogits(model.encoder(b, tuneExtractor: false).hidden.gatherRows(rows))
      let n = logits.lastDim
      let values = logits.scalars
      let hits = labels.indices.filter { k in
        let row = values[(k * n)..<((k + 1) * n)]
        return row.indices.max { row[$0] < row[$1] }! - k * n == labels[k]
      }
      return 100 * Double(hits.count) / Double(labels.count)
    }
  }
  let g = RandomGenerator(seed: 11)
  let steps = Int(env["STEPS"] ?? "300")!
  for chunk in 0..<(steps / 100) {
    _ = TrainingLoop.run(
      model: model, tuneExtractor: false, steps: 100,
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
