import Foundation

/// The environment a trainer starts with: the inputs of the external-command protocol. The runner sets these
/// names, and built-in trainers, external commands and the Python client read them; no other module spells them.
public enum TrainerEnvironment {
  /// The cell's resolved config, as canonical JSON.
  public static let config = "ABLATE_CONFIG"
  /// The same config as YAML.
  public static let configYAML = "ABLATE_CONFIG_YAML"
  /// The attempt's own directory: files left here are recorded as artifacts.
  public static let outputDirectory = "ABLATE_OUTPUT_DIR"
  /// The JSON-lines file the trainer appends its metrics to.
  public static let metrics = "ABLATE_METRICS"
  public static let cellID = "ABLATE_CELL_ID"
  public static let attempt = "ABLATE_ATTEMPT"
  /// The cell's directory that survives its attempts (timeouts, retries), for checkpoints.
  public static let checkpointDirectory = "ABLATE_CHECKPOINT_DIR"
  /// The output directories of the stages a cell needs, as a JSON object by stage name.
  public static let inputs = "ABLATE_INPUTS"
  /// The name of the spec stage being run (unset for a cell).
  public static let stage = "ABLATE_STAGE"
  /// The store's content-addressed stage cache (`RunLayout.stages`).
  public static let stageDirectory = "ABLATE_STAGE_DIR"
  /// The store's cache of built worlds (`RunLayout.worldCache`).
  public static let worldCache = "ABLATE_WORLD_CACHE"

  /// What one attempt of a cell is started with, every file and directory placed by `layout`: the names both
  /// executors (the local runner, a Slurm task) set.
  public static func forAttempt(cell id: String, number: Int, layout: RunLayout) -> [String: String] {
    let directory = layout.attempt(cell: id, number).path
    return [
      config: directory + "/config.json", configYAML: directory + "/config.yaml", outputDirectory: directory,
      metrics: directory + "/metrics.jsonl", cellID: id, attempt: String(number),
      checkpointDirectory: layout.checkpoint(cell: id).path,
    ]
  }

  /// The store-wide caches every cell shares (pipeline stages, built worlds).
  public static func caches(_ layout: RunLayout) -> [String: String] {
    [stageDirectory: layout.stages.path, worldCache: layout.worldCache.path]
  }

  /// The directory named by `name`, else the default store's (a trainer run by hand, outside `ablate run`).
  public static func directory(
    _ name: String, default fallback: (RunLayout) -> URL,
    in environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    environment[name].map { URL(fileURLWithPath: $0, isDirectory: true) }
      ?? fallback(RunLayout(storePath: RunLayout.defaultStorePath))
  }
}
