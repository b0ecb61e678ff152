extension SpecValidator {
  /// `stages:` (name -> {command, code, config, needs, seeded}) and the top-level `needs:` list; every
  /// name a `needs` gives must be declared, with no cycle, and every stage's config subtree must be a
  /// mapping of the baseline. Returns the stages in dependency order.
  mutating func validateStages(_ entry: SourceNode.Entry?, needs: SourceNode.Entry?, specFile: String)
    -> ([StageSpec], [String])
  {
    var stages: [StageSpec] = []
    var locations: [String: SourceLocation] = [:]
    if let entry {
      guard let entries = entry.value.entries else {
        typeError(
          entry.value, expected: "a mapping of stage names", for: "stages",
          hint: "write stages: {pretrain: {command: [python, pretrain.py]}}")
        return ([], [])
      }
      for stage in entries {
        if let parsed = validateStage(stage, specFile: specFile) {
          stages.append(parsed)
          locations[parsed.name] = stage.keyLocation
        }
      }
    }
    let names = stages.map(\.name)
    let topLevel = stageNames(needs, key: "needs", known: names)
    for stage in stages {
      if let entry = root["stages"]?.value[stage.name]?.value["needs"] {
        _ = stageNames(entry, key: "stages.\(stage.name).needs", known: names)
      }
    }
    guard diagnostics.isEmpty else { return ([], []) }
    // Order: a stage after every stage it needs; a stage that cannot be placed is on a cycle.
    var ordered: [StageSpec] = []
    var left = stages
    while !left.isEmpty {
      guard
        let next = left.firstIndex(where: { $0.needs.allSatisfy { n in ordered.contains { $0.name == n } } })
      else {
        let cycle = left.map(\.name).joined(separator: ", ")
        diagnostics.error(
          locations[left[0].name] ?? root.location, "stages need each other in a cycle: \(cycle)",
          hint: "a stage may not need itself, directly or not")
        return ([], [])
      }
      ordered.append(left.remove(at: next))
    }
    if !stages.isEmpty, needs == nil {
      diagnostics.error(
        root["stages"]?.keyLocation ?? root.location, "stages are declared but no 'needs:' names one",
        hint: "add needs: [\(names[0])] so cells run after it")
    }
    return (ordered, topLevel)
  }

  private mutating func validateStage(_ entry: SourceNode.Entry, specFile: String) -> StageSpec? {
    let key = "stages.\(entry.key)"
    guard entry.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
      diagnostics.error(
        entry.keyLocation, "invalid stage name '\(entry.key)'", hint: "use letters, digits, '-', '_'")
      return nil
    }
    guard let fields = entry.value.entries else {
      typeError(
        entry.value, expected: "a mapping", for: key,
        hint: "write \(entry.key): {command: [python, \(entry.key).py]}")
      return nil
    }
    checkKeys(fields, known: ["command", "code", "config", "needs", "seeded"], in: "'\(key)'")
    guard let commandEntry = entry.value["command"] else {
      diagnostics.error(
        entry.value.location, "stage '\(entry.key)' has no 'command'",
        hint: "name the program that produces it")
      return nil
    }
    guard let command = validateCommand(commandEntry, key: "\(key).command") else { return nil }
    let code = validateTrainerCode(entry, specFile: specFile, key: key)
    let config = optionalString(entry.value["config"], key: "\(key).config") ?? entry.key
    if baselineIsValid {
      if let subtree = baseline[path: config] {
        if subtree.objectValue == nil {
          diagnostics.error(
            (entry.value["config"]?.value.location) ?? entry.keyLocation,
            "stage '\(entry.key)' reads config '\(config)', which is \(subtree.kindDescription), not a mapping",
            hint: "a stage's config is a mapping of the baseline")
        }
      } else {
        diagnostics.error(
          (entry.value["config"]?.value.location) ?? entry.keyLocation,
          "stage '\(entry.key)' reads config '\(config)', which the baseline does not have",
          hint: "add '\(config):' to the baseline, or name the subtree with config: PATH")
      }
    }
    let seeded = optionalBool(entry.value["seeded"], key: "\(key).seeded", default: true)
    let needs = entry.value["needs"]?.value.items?.compactMap { $0.scalar?.stringValue } ?? []
    return StageSpec(
      name: entry.key, command: command, code: code, config: config, needs: needs, seeded: seeded)
  }

  /// A list of declared stage names.
  private mutating func stageNames(_ entry: SourceNode.Entry?, key: String, known: [String]) -> [String] {
    guard let entry else { return [] }
    guard let items = entry.value.items else {
      typeError(entry.value, expected: "a list of stage names", for: key, hint: "write \(key): [pretrain]")
      return []
    }
    var names: [String] = []
    for item in items {
      guard case .string(let name) = item.scalar else {
        typeError(item, expected: "a stage name", for: key)
        continue
      }
      if !known.contains(name) {
        diagnostics.error(
          item.location, "'\(key)' names '\(name)', which is not a declared stage",
          hint: NearestName.hint(for: name, in: known) ?? "declare it under 'stages:'")
        continue
      }
      names.append(name)
    }
    return names
  }
}
