import Hashing
import Spec

/// A spec's stage as the runner starts it: its declaration and the identity of its command and code.
public struct StageLaunch: Sendable, Hashable {
  public var stage: StageSpec
  /// The stage command's identity (argv, the files it names, its `code`).
  public var identity: String

  public init(stage: StageSpec, identity: String) {
    self.stage = stage
    self.identity = identity
  }

  /// What is the same for every cell that needs the stage; it joins those cells' identity.
  var declaration: String {
    "stage:\(stage.name) config:\(stage.config) seeded:\(stage.seeded) needs:\(stage.needs.joined(separator: ",")) "
      + identity
  }

  /// The stage's config for `cell`: its subtree of the cell's config, with the cell's seed when seeded.
  public func config(for cell: Cell) -> ConfigValue {
    var fields = cell.config[path: stage.config]?.objectValue ?? [:]
    if stage.seeded { fields["seed"] = .int(cell.seed) }
    return .object(fields)
  }

  /// The stage's identity for one config: its declaration, its config and the identities of its inputs, so
  /// cells (of any spec on the store) that agree on all three share one run of it.
  public func id(config: ConfigValue, inputs: [String]) -> String {
    SHA256.hex([declaration, config.canonicalJSON, inputs.joined(separator: ",")].joined(separator: "\n"))
  }
}

extension TrainerLaunch {
  /// The identity of each stage `cell` runs first, by stage name: a stage's id covers its inputs' ids.
  public func stageIDs(for cell: Cell) -> [String: String] {
    var ids: [String: String] = [:]
    for stage in stages {
      ids[stage.stage.name] = stage.id(
        config: stage.config(for: cell), inputs: stage.stage.needs.compactMap { ids[$0] })
    }
    return ids
  }
}
