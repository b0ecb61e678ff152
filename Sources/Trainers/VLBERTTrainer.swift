import Foundation
import Orchestrator
import TrainerProtocol
import VL
import World

/// The built-in trainer `vlbert`: runs one cell of a VL-BERT / VisualBERT / ViLBERT table as a pipeline of
/// cached stages (see `VLPipeline`). Stages and the world come from the store's layout (`ABLATE_STAGE_DIR`,
/// `ABLATE_WORLD_CACHE`; run by hand, the default store's), never from the working directory.
public struct VLBERTTrainer: BuiltinTrainer {
  public let name = "vlbert"
  /// The pipeline's code version: it keys every stage and, through the trainer identity, every cell, so a
  /// pipeline change re-runs the cells it changes.
  public let version: String

  public init(version: String = VLPipeline.codeVersion) { self.version = version }

  /// The pipeline's timings (`time/<stage>_s`) and reuse count (`stages/reused`) are bookkeeping; the footer
  /// names the world (its version only where the cells set one: version 1's reports predate the key);
  /// `attention/` holds the maps `AttentionExport` writes.
  public var bookkeeping: TrainerBookkeeping {
    TrainerBookkeeping(
      metricPrefixes: ["time/", "stages/"],
      footer: .init(
        label: "World",
        settings: [
          .init(name: "scale", path: "world.scale"), .init(name: "seed", path: "world.seed"),
          .init(name: "version", path: "world.version"),
        ]),
      attachments: [.init(kind: .attentionMaps, directory: "attention")])
  }

  public func train(_ settings: VLSettings, output: URL, metrics: any MetricsSink) throws {
    let cache = try StageCache(
      root: TrainerEnvironment.directory(TrainerEnvironment.stageDirectory, default: \.stages))
    let worlds = TrainerEnvironment.directory(TrainerEnvironment.worldCache, default: \.worldCache)
    let world = try WorldCache.load(
      scale: settings.scale, seed: settings.worldSeed, version: settings.worldVersion,
      finetuneMultiple: settings.finetuneMultiple, root: worlds)
    let pipeline = VLPipeline(
      settings: settings, view: WorldView(world), cache: cache, metrics: metrics, codeVersion: version)
    try pipeline.run(output: output)
  }
}
