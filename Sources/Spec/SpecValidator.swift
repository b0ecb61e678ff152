/// Turns a merged spec tree into an `ExperimentSpec`, collecting every problem on the way.
///
/// Checks run in dependency order (baseline, then the grid and overrides that name its paths, then the variants
/// that must not fight the grid), and each check reports and carries on, so one run lists all problems.
struct SpecValidator {
  static let topLevelKeys = [
    "name", "description", "extends", "trainer", "baseline", "variants", "grid", "seeds", "run", "report",
    "stages", "needs",
  ]

  let root: SourceNode
  var diagnostics = Diagnostics()
  var baseline: ConfigValue = .object([:])
  var baselineIsValid = false
  var baselinePaths: Set<String> = []
  var grid = Grid()
  /// Axis path -> where it is declared, for conflict messages.
  var axisLocations: [String: SourceLocation] = [:]
  /// `--set seeds=[...]`: replaces the spec's `seeds:`.
  var seedsOverride: SourceNode.Entry?
  /// Where each baseline path's value is written (a file of the `extends:` chain, or `--set`).
  var keyLocations: [String: SourceLocation] = [:]
  /// Variant name -> path -> where its `set:` writes it.
  var variantKeyLocations: [String: [String: SourceLocation]] = [:]

  init(root: SourceNode) { self.root = root }

  static func validate(root: SourceNode, file: String, sourceFiles: [String], overrides: [String])
    throws(SpecErrors)
    -> ExperimentSpec
  {
    var validator = SpecValidator(root: root)
    let spec = validator.run(file: file, sourceFiles: sourceFiles, overrides: overrides)
    guard validator.diagnostics.isEmpty, let spec else {
      throw SpecErrors(validator.diagnostics.sorted(files: sourceFiles))
    }
    return spec
  }

  private mutating func run(file: String, sourceFiles: [String], overrides: [String]) -> ExperimentSpec? {
    for entry in root.entries ?? [] where !Self.topLevelKeys.contains(entry.key) {
      diagnostics.error(
        entry.keyLocation, "unknown key '\(entry.key)'",
        hint: NearestName.hint(for: entry.key, in: Self.topLevelKeys))
    }
    let name = validateName(root["name"])
    let description = optionalString(root["description"], key: "description") ?? ""
    let trainer = validateTrainer(root["trainer"])
    validateBaseline(root["baseline"])
    if let entry = root["baseline"] { collectKeyLocations(entry.value, prefix: "") }
    if let entry = root["grid"] { validateGrid(entry) }
    let assignments = applyOverrides(overrides)
    for (index, assignment) in assignments.enumerated() {
      keyLocations = keyLocations.filter { !$0.key.hasPrefix(assignment.path + ".") }
      keyLocations[assignment.path] = SourceLocation(file: "--set", line: index + 1, column: 1)
    }
    let (variants, baselineRow) = validateVariants(root["variants"])
    let seeds = validateSeeds(seedsOverride ?? root["seeds"])
    let (timeout, retries) = validateRun(root["run"])
    let (executor, slurm) = validateExecutor(root["run"])
    guard let name, let trainer, diagnostics.isEmpty else { return nil }
    var spec = ExperimentSpec(
      name: name, description: description, file: file, trainer: trainer, baseline: baseline,
      variants: variants, grid: grid, seeds: seeds, timeoutSeconds: timeout, retries: retries,
      sourceFiles: sourceFiles, overrides: assignments)
    spec.baselineVariant = baselineRow
    spec.executor = executor
    spec.slurm = slurm
    spec.keyLocations = keyLocations
    spec.variantKeyLocations = variantKeyLocations
    spec.axisLocations = axisLocations
    spec.trainerLocation = root["trainer"].map { $0.value["builtin"]?.value.location ?? $0.value.location }
    spec.trainerCode = validateTrainerCode(root["trainer"], specFile: file)
    (spec.stages, spec.needs) = validateStages(root["stages"], needs: root["needs"], specFile: file)
    spec.report = root["report"].flatMap { validateReport($0, variants: variants.map(\.name)) }
    return spec
  }

  // MARK: Shared helpers

  /// Records where every (dotted) path below a baseline mapping is written.
  mutating func collectKeyLocations(_ node: SourceNode, prefix: String) {
    for entry in node.entries ?? [] {
      let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
      keyLocations[path] = entry.value.location
      collectKeyLocations(entry.value, prefix: path)
    }
  }

  mutating func missing(_ key: String, hint: String) {
    diagnostics.error(root.location, "missing required key '\(key)'", hint: hint)
  }

  mutating func typeError(_ node: SourceNode, expected: String, for key: String, hint: String? = nil) {
    diagnostics.error(
      node.location, "expected \(expected) for '\(key)', found \(node.kindDescription)", hint: hint)
  }

  mutating func optionalString(_ entry: SourceNode.Entry?, key: String) -> String? {
    guard let entry else { return nil }
    switch entry.value.scalar {
    case .string(let s): return s
    case .null: return nil
    default:
      typeError(entry.value, expected: "a string", for: key, hint: "quote it")
      return nil
    }
  }

  /// A boolean key's value, `default` when absent; anything but true or false is a located type error.
  mutating func optionalBool(_ entry: SourceNode.Entry?, key: String, default value: Bool) -> Bool {
    guard let entry else { return value }
    if case .bool(let b)? = entry.value.scalar { return b }
    typeError(entry.value, expected: "true or false", for: key)
    return value
  }

  /// Reports keys of a mapping that are not among `known`, with the nearest known key as a hint.
  mutating func checkKeys(_ entries: [SourceNode.Entry], known: [String], in context: String) {
    for entry in entries where !known.contains(entry.key) {
      let hint =
        NearestName.hint(for: entry.key, in: known)
        ?? "\(context) takes \(known.map { "'\($0)'" }.joined(separator: ", "))"
      diagnostics.error(entry.keyLocation, "unknown key '\(entry.key)' in \(context)", hint: hint)
    }
  }

  // MARK: name, trainer, baseline

  private mutating func validateName(_ entry: SourceNode.Entry?) -> String? {
    guard let entry else {
      missing("name", hint: "add a line like 'name: my-ablation'")
      return nil
    }
    guard case .string(let name) = entry.value.scalar else {
      typeError(entry.value, expected: "a string", for: "name")
      return nil
    }
    let allowed = name.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        || "-_.".unicodeScalars.contains($0)
    }
    guard !name.isEmpty, allowed, name.first != ".", name.first != "-" else {
      diagnostics.error(
        entry.value.location, "invalid experiment name '\(name)'",
        hint: "use letters, digits, '-', '_' and '.', starting with a letter or digit")
      return nil
    }
    return name
  }

  private mutating func validateTrainer(_ entry: SourceNode.Entry?) -> TrainerReference? {
    let hint = "write trainer: {builtin: NAME} or trainer: {command: [python, train.py]}"
    guard let entry else {
      missing("trainer", hint: hint)
      return nil
    }
    guard let entries = entry.value.entries else {
      typeError(entry.value, expected: "a mapping", for: "trainer", hint: hint)
      return nil
    }
    checkKeys(entries, known: ["builtin", "command", "code"], in: "'trainer'")
    let builtin = entry.value["builtin"]
    let command = entry.value["command"]
    if let builtin, let command {
      let later = builtin.keyLocation.line > command.keyLocation.line ? builtin : command
      diagnostics.error(later.keyLocation, "a trainer is either 'builtin' or 'command', not both")
      return nil
    }
    if let builtin {
      guard case .string(let name) = builtin.value.scalar, !name.isEmpty else {
        typeError(builtin.value, expected: "a trainer name", for: "trainer.builtin")
        return nil
      }
      return .builtin(name)
    }
    if let command {
      return validateCommand(command, key: "trainer.command").map { .command($0) }
    }
    diagnostics.error(entry.value.location, "'trainer' names no trainer", hint: hint)
    return nil
  }

  /// An argument list (no shell), e.g. `command: [python, train.py]`; nil after reporting what is wrong.
  mutating func validateCommand(_ command: SourceNode.Entry, key: String) -> [String]? {
    guard let items = command.value.items else {
      typeError(
        command.value, expected: "a list of arguments", for: key,
        hint: "write command: [python, train.py]; no shell is involved")
      return nil
    }
    guard !items.isEmpty else {
      diagnostics.error(command.value.location, "'\(key)' is empty", hint: "name the program to run")
      return nil
    }
    var argv: [String] = []
    for item in items {
      switch item.kind {
      case .scalar(.string(let s), _): argv.append(s)
      case .scalar(.null, _):
        diagnostics.error(item.location, "empty argument in '\(key)'", hint: "quote it: \"\"")
      case .scalar(_, let text): argv.append(text)
      default: typeError(item, expected: "a string argument", for: key)
      }
    }
    validatePlaceholders(command, key: key)
    return argv.count == items.count ? argv : nil
  }

  private mutating func validateBaseline(_ entry: SourceNode.Entry?) {
    guard let entry else {
      missing("baseline", hint: "add 'baseline:' with the config every cell starts from")
      return
    }
    if case .scalar(.null, _) = entry.value.kind {
      baselineIsValid = true
      return
    }
    guard let entries = entry.value.entries else {
      typeError(entry.value, expected: "a mapping", for: "baseline")
      return
    }
    let before = diagnostics.errors.count
    for child in entries where child.key == "seed" {
      diagnostics.error(
        child.keyLocation, "'seed' is reserved in the baseline",
        hint: "each cell's config gets 'seed' from the spec's 'seeds' list")
    }
    checkConfigKeys(entries)
    baselineIsValid = diagnostics.errors.count == before
    baseline = entry.value.value
    baselinePaths = Set(baseline.allPaths)
  }

  /// Keys of config mappings must be addressable by dotted paths.
  private mutating func checkConfigKeys(_ entries: [SourceNode.Entry]) {
    for entry in entries {
      if entry.key.isEmpty {
        diagnostics.error(entry.keyLocation, "empty key in the baseline")
      } else if entry.key.contains(".") {
        let parts = entry.key.split(separator: ".", omittingEmptySubsequences: false)
        diagnostics.error(
          entry.keyLocation, "key '\(entry.key)' contains '.'",
          hint:
            "dotted paths address nested keys; nest it as \(parts[0]): {\(parts.dropFirst().joined(separator: ".")): ...}"
        )
      }
      if let children = entry.value.entries { checkConfigKeys(children) }
    }
  }
}
