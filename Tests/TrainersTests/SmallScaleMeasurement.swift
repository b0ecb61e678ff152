import Foundation
import NN
import Orchestrator
import Spec
import TestSupport
import Testing
import Trainers
import World

@testable import VL

/// Not a test of speed: a measurement run by hand (`VL_MEASURE_SMALL=1`), printing every stage's wall time and
/// metrics of one cell at `small` scale, then re-running the cell to show that every stage is reused.
@Test(.enabled(if: ProcessInfo.processInfo.environment["VL_MEASURE_SMALL"] != nil))
func measureSmallScaleCell() throws {
  let arch = ProcessInfo.processInfo.environment["VL_MEASURE_ARCH"] ?? "vlbert"
  let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VL_MEASURE_DIR"] ?? "/tmp/vl-measure")
  let start = Date()
  let world = try WorldCache.load(scale: .small, seed: 0, root: root.appendingPathComponent("world"))
  print("world: \(Date().timeIntervalSince(start)) s")
  let config: ConfigValue = [
    "world": ["scale": "small", "seed": 0], "model": ["arch": .string(arch), "size": "base"],
    "finetune": ["epoch_scale": 0.5], "seed": 1,
  ]
  var settings = try VLBERTTrainer().settings(from: config)
  let env = ProcessInfo.processInfo.environment
  if let lr = env["VL_MEASURE_LR"].flatMap(Double.init) { settings.finetuneLR = lr }
  if let e = env["VL_MEASURE_EPOCHS"].flatMap(Double.init) {
    settings.finetuneEpochs = [.vqa: e, .vcr: e / 4, .refcoco: e]
  }
  if let t = env["VL_MEASURE_TASKS"] {
    settings.tasks = t.split(separator: ",").compactMap { FineTuneTask(rawValue: String($0)) }
  }
  let cache = try StageCache(root: root.appendingPathComponent("stages"))
  for run in 1...2 {
    let t = Date()
    let finals = try VLPipeline(
      settings: settings, view: WorldView(world), cache: cache, metrics: RecordingSink()
    )
    .run(output: root.appendingPathComponent("out"))
    print("run \(run): \(Date().timeIntervalSince(t)) s")
    for (k, v) in finals.sorted(by: { $0.key < $1.key }) { print("  \(k) = \(String(format: "%.2f", v))") }
  }
}
