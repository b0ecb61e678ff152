import Foundation
import NN
import Orchestrator
import Spec
import Testing
import World

@testable import VL

/// The `small` world of seed 0, cached under `VL_MEASURE_DIR` (default /tmp/vl-measure).
private func smallWorld() throws -> (WorldData, WorldView) {
  let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VL_MEASURE_DIR"] ?? "/tmp/vl-measure")
  let world = try WorldCache.load(scale: .small, seed: 0, root: root.appendingPathComponent("world"))
  return (world, WorldView(world))
}

/// Measurement, run by hand: fine-tunes one task at `small` scale from a fresh model (or `INIT=model.safetensors`)
/// and prints the loss curve and the task's metrics beside the majority baseline. Knobs: TASK, LR, EPOCHS, DROPOUT, OPT (VCR's sgd | adamw).
///   VL_MEASURE_FINETUNE=1 TASK=refcoco EPOCHS=30 swift test -c release -Xswiftc -enable-testing --filter measureFineTuning
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_FINETUNE"] != nil))
func measureFineTuning() throws {
  let env = ProcessInfo.processInfo.environment
  let (world, view) = try smallWorld()
  var settings = try VLSettings(config: ["world": ["scale": "small"], "seed": 1])
  if let lr = env["LR"].flatMap(Double.init) { settings.finetuneLR = lr }
  if let e = env["EPOCHS"].flatMap(Double.init) {
    settings.finetuneEpochs[FineTuneTask(rawValue: env["TASK"] ?? "vqa")!] = e
  }
  if let d = env["DROPOUT"].flatMap(Float.init) { settings.dropout = d }
  if let o = env["OPT"] { settings.vcrOptimizer = o }
  let task = FineTuneTask(rawValue: env["TASK"] ?? "vqa")!
  let fine = FineTuning(task: task, view: view, settings: settings)
  print("train count \(fine.trainCount) steps \(fine.steps)")
  let model = VLModel(
    settings: settings, vocabulary: view.vocabulary, detector: world.detector?.network,
    generator: RandomGenerator(seed: 5))
  if let ck = env["INIT"] { try model.load(from: URL(fileURLWithPath: ck)) }
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
  let settings = try VLSettings(config: ["world": ["scale": "small"], "seed": 1])
  var f = PretrainFactors()
  f.textOnlyCorpus = env["TEXT"] != nil
  f.mrcLinguisticClues = env["MRC"] != nil
  f.tuneExtractor = env["FREEZE"] == nil
  let model = VLModel(
    settings: settings, vocabulary: view.vocabulary, detector: world.detector?.network,
    generator: RandomGenerator(seed: 5))
  if let ck = env["INIT"] { try model.load(from: URL(fileURLWithPath: ck)) }
  let task = Pretraining(factors: f, view: view, batchSize: 32)
  let g = RandomGenerator(seed: 77)
  let steps = Int(env["STEPS"] ?? "450")!
  let lr = Float(env["LR"].flatMap(Double.init) ?? 5e-4)
  var t = Date()
  for chunk in 0..<(steps / 150) {
    _ = TrainingLoop.run(
      model: model, tuneExtractor: f.tuneExtractor, steps: 150,
      schedule: .linearWarmupDecay(
        peak: lr, warmupSteps: chunk == 0 ? 15 : 0, totalSteps: 150 * (steps / 150 - chunk)),
      optimizer: .adamw, prefix: "p"
    ) { _ in task.loss(model, task.sample(generator: g), tuneExtractor: f.tuneExtractor) }
    print(
      "PRE \((chunk + 1) * 150) mlm \(task.mlmAccuracy(model, blank: false)) blank \(task.mlmAccuracy(model, blank: true)) \(Date().timeIntervalSince(t)) s"
    )
    t = Date()
  }
  if let out = env["SAVE"] { try model.save(to: URL(fileURLWithPath: out)) }
}
