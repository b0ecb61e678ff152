// Measures loading, validating and expanding a 10,000-cell spec: `swift run -c release spec-benchmark`.
import Foundation
import Spec

/// A VL-BERT-sized baseline (about 40 leaves), 10 rows, a 10 x 10 grid and 10 seeds: 10,000 cells.
func benchmarkSpec() -> String {
  var yaml = """
    name: bench
    trainer: {builtin: vlbert}
    baseline:
      model: {arch: vl-bert, layers: 4, hidden: 64, heads: 4, intermediate: 256, dropout: 0.1, max_text: 32,
              max_regions: 16, visual_feature: roi, type_embeddings: true, position: learned}
      pretrain: {text_only: true, visual_linguistic: true, mlm: true, mrc: true, sentence_image: false,
                 steps: 2000, batch: 64, mask_prob: 0.15, region_mask_prob: 0.15}
      finetune: {task: vqa, epochs: 5, batch: 32, tune_detector: true, lr_scale: 1.0}
      optim: {name: adamw, lr: 0.0001, betas: [0.9, 0.999], weight_decay: 0.01, warmup: 200, schedule: linear,
              grad_clip: 1.0}
      data: {world: synthetic, scale: smoke, vocab: 512, scenes: 2000, seed: 7}
    variants:

    """
  for i in 1...9 { yaml += "  - {name: v\(i), set: {model.dropout: 0.\(i)5}}\n" }
  yaml += "grid:\n  optim.lr: [" + (1...10).map { "\($0)e-4" }.joined(separator: ", ") + "]\n"
  yaml += "  model.layers: [" + (1...10).map(String.init).joined(separator: ", ") + "]\n"
  yaml += "seeds: [" + (0..<10).map(String.init).joined(separator: ", ") + "]\n"
  return yaml
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let path = FileManager.default.temporaryDirectory.appendingPathComponent("spec-benchmark-\(getpid()).yaml").path
try benchmarkSpec().write(toFile: path, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: path) }

var best = (load: Double.infinity, expand: Double.infinity)
var count = 0
for _ in 0..<5 {
  var spec: ExperimentSpec?
  let load = try seconds { spec = try ExperimentSpec.load(path: path, overrides: ["data.scale=small"]) }
  let expand = seconds { count = spec!.cells(trainerIdentity: "builtin:vlbert@1").count }
  best = (min(best.load, load), min(best.expand, expand))
}
print("cells: \(count)")
print(String(format: "load+validate: %.2f ms", best.load * 1000))
print(String(format: "expand+hash:   %.2f ms (%.2f us/cell)", best.expand * 1000, best.expand * 1e6 / Double(count)))
print(String(format: "total:         %.2f ms (best of 5)", (best.load + best.expand) * 1000))
