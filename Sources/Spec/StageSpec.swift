/// A stage that cells depend on, e.g. pre-training before every fine-tuning cell (`stages:` in a spec).
///
/// A stage sees one subtree of the cell's config (`config`, by default the key named like the stage), so
/// cells whose configs agree on that subtree, in this spec or any other on the store, share one run of it.
public struct StageSpec: Sendable, Hashable {
  public var name: String
  /// The stage's own command (no shell; placeholders as the cell trainer's).
  public var command: [String]
  /// `code:` paths whose content joins the stage's identity, relative to the spec.
  public var code: [String]
  /// The dotted path of the cell-config subtree the stage reads.
  public var config: String
  /// Stages this one consumes (their output directories are its inputs).
  public var needs: [String]
  /// Whether the cell's seed is part of the stage's config (one run a seed) or not (one run for all seeds).
  public var seeded: Bool

  public init(name: String, command: [String], code: [String] = [], config: String? = nil, needs: [String] = [],
    seeded: Bool = true)
  {
    self.name = name
    self.command = command
    self.code = code
    self.config = config ?? name
    self.needs = needs
    self.seeded = seeded
  }
}

extension ExperimentSpec {
  /// The stages a cell runs first, each after the ones it needs: the closure of `needs`, in declared order.
  public var neededStages: [StageSpec] {
    var wanted = Set<String>()
    var frontier = needs
    while let name = frontier.popLast() {
      guard wanted.insert(name).inserted, let stage = stages.first(where: { $0.name == name }) else { continue }
      frontier += stage.needs
    }
    return stages.filter { wanted.contains($0.name) }
  }
}
