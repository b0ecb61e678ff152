/// An experiment spec: a baseline config, the named rows that change it, the axes that multiply it, the seeds
/// that repeat it. See `docs/spec.md` for the YAML form.
///
/// A cell is (variant, grid point, seed); `cells(trainerIdentity:)` lists them in a stable order.
public struct ExperimentSpec: Sendable {
  public var name: String
  public var description: String
  /// The path it was loaded from, as given.
  public var file: String
  public var trainer: TrainerReference
  /// The config every cell starts from (an `.object`), after `extends:` and `--set` overrides.
  public var baseline: ConfigValue
  /// The table's rows in order: the implicit "baseline" row first (unless the file names a variant
  /// "baseline" itself), then the file's variants, parents' before children's.
  public var variants: [Variant]
  public var grid: Grid
  public var seeds: [Int]
  /// Per-cell time limit in seconds (`run.timeout`), nil for none.
  public var timeoutSeconds: Double?
  /// Extra attempts for a failing cell (`run.retries`), default 0.
  public var retries: Int
  /// Where the cells run (`run.executor`) and, on Slurm, the job array's options (`run.slurm`).
  public var executor: Executor = .local
  public var slurm = SlurmSettings()
  /// Every file that went into this spec: the spec itself, then each file it extends, nearest first.
  public var sourceFiles: [String]
  /// The command-line overrides applied to the baseline, in order.
  public var overrides: [Assignment]
  /// The name of the row that leaves the baseline unchanged (the reference for deltas).
  public var baselineVariant: String
  /// Where the trainer is named (the built-in's name, or the trainer mapping), so that a trainer the
  /// runner cannot resolve is reported as `file:line:col` too; nil for specs built in code.
  public var trainerLocation: SourceLocation?
  /// The table this spec renders to (`report:`), nil when the spec has none.
  public var report: ReportSection?
  /// Where each baseline path is written (its file in the `extends:` chain, or `--set`), each variant's
  /// `set:` paths, and each grid axis: so that a trainer's complaint about a config key points at its line.
  public var keyLocations: [String: SourceLocation] = [:]
  public var variantKeyLocations: [String: [String: SourceLocation]] = [:]
  public var axisLocations: [String: SourceLocation] = [:]
  /// `trainer.code`: files and folders whose content joins the trainer's identity, relative to the spec.
  public var trainerCode: [String] = []
  /// `stages:` in dependency order (a stage after the stages it needs), and the ones every cell needs.
  public var stages: [StageSpec] = []
  public var needs: [String] = []

  public init(
    name: String, description: String = "", file: String, trainer: TrainerReference, baseline: ConfigValue,
    variants: [Variant] = [Variant.baseline], grid: Grid = Grid(), seeds: [Int] = [0],
    timeoutSeconds: Double? = nil, retries: Int = 0, sourceFiles: [String]? = nil,
    overrides: [Assignment] = []
  ) {
    self.name = name
    self.description = description
    self.file = file
    self.trainer = trainer
    self.baseline = baseline
    self.variants = variants
    self.grid = grid
    self.seeds = seeds
    self.timeoutSeconds = timeoutSeconds
    self.retries = retries
    self.sourceFiles = sourceFiles ?? [file]
    self.overrides = overrides
    self.baselineVariant = variants.first { $0.set.isEmpty && $0.unset.isEmpty }?.name ?? "baseline"
  }
}

extension ExperimentSpec {
  /// Where the value of config path `key` in `variant`'s cells comes from: the variant's `set:`, a grid axis,
  /// the baseline or a `--set` override, trying the path and then each enclosing path; nil if none is known.
  public func location(ofKey key: String, variant: String) -> SourceLocation? {
    var parts = key.split(separator: ".").map(String.init)
    while !parts.isEmpty {
      let path = parts.joined(separator: ".")
      if let at = variantKeyLocations[variant]?[path] ?? axisLocations[path] ?? keyLocations[path] {
        return at
      }
      parts.removeLast()
    }
    return nil
  }
}

/// What trains a cell: a trainer built into `ablate`, or any external command (argv, no shell).
public enum TrainerReference: Sendable, Hashable {
  case builtin(String)
  case command([String])
}

/// One `path: value` change to a config.
public struct Assignment: Sendable, Hashable {
  public var path: String
  public var value: ConfigValue

  public init(path: String, value: ConfigValue) {
    self.path = path
    self.value = value
  }
}

/// A named row of the ablation table: the baseline with some paths removed, then some paths set.
public struct Variant: Sendable, Hashable {
  public var name: String
  public var description: String
  /// Paths removed from the baseline, applied first.
  public var unset: [String]
  /// Paths set, in file order, applied after `unset`.
  public var set: [Assignment]

  public init(name: String, description: String = "", unset: [String] = [], set: [Assignment] = []) {
    self.name = name
    self.description = description
    self.unset = unset
    self.set = set
  }

  /// The row a spec gets when it names no variant "baseline": the baseline unchanged.
  public static let baseline = Variant(name: "baseline", description: "the baseline config, unchanged")

  /// The variant's config: `base` with `unset` removed and `set` applied.
  public func apply(to base: ConfigValue) -> ConfigValue {
    var config = base
    for path in unset { config.remove(path: path) }
    for assignment in set { config.set(path: assignment.path, to: assignment.value) }
    return config
  }
}

/// One swept config path and its values.
public struct GridAxis: Sendable, Hashable {
  public var path: String
  public var values: [ConfigValue]

  public init(path: String, values: [ConfigValue]) {
    self.path = path
    self.values = values
  }
}

/// One factor of the grid's product: a single axis, or a group of zipped axes that advance together.
public struct GridFactor: Sendable, Hashable {
  public var axes: [GridAxis]

  public init(axes: [GridAxis]) { self.axes = axes }
  public init(_ axis: GridAxis) { self.axes = [axis] }

  public var isZipped: Bool { axes.count > 1 }
  /// How many values each axis of the factor has (equal for zipped axes).
  public var count: Int { axes.first?.values.count ?? 0 }
}

/// The swept part of a spec: the cartesian product of its factors, minus excluded points.
public struct Grid: Sendable, Hashable {
  /// In file order; the first factor varies slowest.
  public var factors: [GridFactor]
  /// Partial assignments: a point matching every entry of one of them is dropped.
  public var excludes: [[String: ConfigValue]]

  public init(factors: [GridFactor] = [], excludes: [[String: ConfigValue]] = []) {
    self.factors = factors
    self.excludes = excludes
  }

  public var axes: [GridAxis] { factors.flatMap(\.axes) }
  public var isEmpty: Bool { factors.isEmpty }
}

/// One run of the trainer: a variant at a grid point with a seed, and its fully resolved config.
public struct Cell: Sendable, Hashable, Identifiable {
  /// Hex SHA-256 of `config.canonicalJSON + "\n" + trainerIdentity`: the cell's identity.
  public var id: String
  public var experiment: String
  public var variant: String
  /// Dotted path -> value; empty when the spec has no grid.
  public var gridPoint: [String: ConfigValue]
  public var seed: Int
  /// The fully resolved config, including the top-level key "seed".
  public var config: ConfigValue
  /// Hex SHA-256 of `config.canonicalJSON`.
  public var configHash: String

  public init(
    id: String, experiment: String, variant: String, gridPoint: [String: ConfigValue], seed: Int,
    config: ConfigValue, configHash: String
  ) {
    self.id = id
    self.experiment = experiment
    self.variant = variant
    self.gridPoint = gridPoint
    self.seed = seed
    self.config = config
    self.configHash = configHash
  }
}
