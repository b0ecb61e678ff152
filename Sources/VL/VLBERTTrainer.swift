import Foundation
import Orchestrator
import Spec
import World

/// The built-in trainer `vlbert`: runs one cell of a VL-BERT / VisualBERT / ViLBERT table as a pipeline of
/// cached stages (see `VLPipeline`). The world comes from the world cache (`ABLATE_WORLD_CACHE`, else
/// `.ablate/cache` in the working directory); stages from `ABLATE_STAGE_DIR`, else `<output>/../stages`.
public struct VLBERTTrainer: BuiltinTrainer {
  public let name = "vlbert"
  public let version = "1"

  public init() {}

  public func train(_ settings: VLSettings, output: URL, metrics: any MetricsSink) throws {
    let cache = try StageCache.fromEnvironment(
      fallback: output.deletingLastPathComponent().appendingPathComponent("stages"))
    let root =
      ProcessInfo.processInfo.environment["ABLATE_WORLD_CACHE"].map { URL(fileURLWithPath: $0) }
      ?? WorldCache.defaultRoot
    let world = try WorldCache.load(
      scale: settings.scale, seed: settings.worldSeed, version: settings.worldVersion, root: root)
    let pipeline = VLPipeline(settings: settings, view: WorldView(world), cache: cache, metrics: metrics)
    try pipeline.run(output: output)
  }
}
