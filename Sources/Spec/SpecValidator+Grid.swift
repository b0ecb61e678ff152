/// The `grid:` section: plain axes, `zip:` groups of linked axes, `exclude:` partial points.
extension SpecValidator {
  mutating func validateGrid(_ entry: SourceNode.Entry) {
    if case .scalar(.null, _) = entry.value.kind { return }
    guard let entries = entry.value.entries else {
      typeError(
        entry.value, expected: "a mapping of paths to value lists", for: "grid",
        hint: "write grid: {optim.lr: [1e-4, 3e-4]}")
      return
    }
    var factors: [GridFactor] = []
    var excludeEntry: SourceNode.Entry?
    for child in entries {
      switch child.key {
      case "zip":
        factors.append(contentsOf: validateZip(child))
      case "exclude":
        excludeEntry = child
      default:
        if let axis = validateAxis(path: child.key, keyLocation: child.keyLocation, values: child.value) {
          factors.append(GridFactor(axis))
        }
      }
    }
    checkAxisOverlaps()
    grid = Grid(factors: factors)
    if let excludeEntry {
      grid.excludes = validateExcludes(excludeEntry)
      if !grid.isEmpty, diagnostics.isEmpty, grid.points().isEmpty {
        diagnostics.error(
          excludeEntry.keyLocation, "the excludes remove every grid point", hint: "drop or narrow an exclude")
      }
    }
  }

  private mutating func validateAxis(path: String, keyLocation: SourceLocation, values node: SourceNode)
    -> GridAxis?
  {
    let pathOK = checkPath(path, at: keyLocation, usedBy: "the grid")
    guard let items = node.items else {
      typeError(
        node, expected: "a list of values", for: "grid.\(path)", hint: "write [\(node.value.canonicalJSON)] for one value")
      return nil
    }
    guard !items.isEmpty else {
      diagnostics.error(node.location, "grid axis '\(path)' has no values", hint: "give at least one value")
      return nil
    }
    var seen: [String: SourceLocation] = [:]
    for item in items {
      let key = item.value.canonicalJSON
      if let first = seen[key] {
        diagnostics.error(
          item.location, "value \(key) appears twice in grid axis '\(path)'",
          hint: "first at line \(first.line), column \(first.column)")
      }
      seen[key] = seen[key] ?? item.location
    }
    if axisLocations[path] == nil { axisLocations[path] = keyLocation }
    return pathOK ? GridAxis(path: path, values: items.map(\.value)) : nil
  }

  private mutating func validateZip(_ entry: SourceNode.Entry) -> [GridFactor] {
    let hint = "write zip: [{model.layers: [2, 4], model.hidden: [32, 64]}]"
    guard let groups = entry.value.items else {
      typeError(entry.value, expected: "a list of mappings of zipped axes", for: "grid.zip", hint: hint)
      return []
    }
    var factors: [GridFactor] = []
    for group in groups {
      guard let axes = group.entries, !axes.isEmpty else {
        typeError(group, expected: "a mapping of zipped axes", for: "grid.zip", hint: hint)
        continue
      }
      var validAxes: [GridAxis] = []
      var first: (path: String, count: Int)?
      for axisEntry in axes {
        guard let axis = validateAxis(path: axisEntry.key, keyLocation: axisEntry.keyLocation, values: axisEntry.value)
        else { continue }
        if let first, first.count != axis.values.count {
          diagnostics.error(
            axisEntry.value.location,
            "zipped axis '\(axis.path)' has \(count(axis.values.count, "value")), but '\(first.path)' has \(first.count)",
            hint: "zipped axes advance together, so they need the same number of values")
          continue
        }
        first = first ?? (axis.path, axis.values.count)
        validAxes.append(axis)
      }
      if validAxes.count == axes.count { factors.append(GridFactor(axes: validAxes)) }
    }
    return factors
  }

  /// Two axes on one path, or one inside another, would overwrite each other.
  private mutating func checkAxisOverlaps() {
    let declared = axisLocations.sorted { ($0.value.line, $0.value.column) < ($1.value.line, $1.value.column) }
    for (i, (path, location)) in declared.enumerated() {
      for (other, _) in declared[..<i] where path.hasPrefix(other + ".") || other.hasPrefix(path + ".") {
        diagnostics.error(
          location, "grid axis '\(path)' overlaps grid axis '\(other)'",
          hint: "one axis may not lie inside another")
      }
    }
    duplicateAxes()
  }

  /// The same path declared as a plain axis and in a zip group (YAML's own duplicate check covers the rest).
  private mutating func duplicateAxes() {
    guard let entries = root["grid"]?.value.entries else { return }
    var seen: [String: SourceLocation] = [:]
    var all: [(String, SourceLocation)] = []
    for entry in entries {
      if entry.key == "exclude" { continue }
      if entry.key == "zip" {
        for group in entry.value.items ?? [] {
          for axis in group.entries ?? [] { all.append((axis.key, axis.keyLocation)) }
        }
      } else {
        all.append((entry.key, entry.keyLocation))
      }
    }
    for (path, location) in all {
      if let first = seen[path] {
        diagnostics.error(
          location, "grid axis '\(path)' is declared twice",
          hint: "first at line \(first.line), column \(first.column)")
      } else {
        seen[path] = location
      }
    }
  }

  private mutating func validateExcludes(_ entry: SourceNode.Entry) -> [[String: ConfigValue]] {
    let hint = "write exclude: [{optim.lr: 3e-4, model.layers: 4}]"
    guard let items = entry.value.items else {
      typeError(entry.value, expected: "a list of partial grid points", for: "grid.exclude", hint: hint)
      return []
    }
    let axes = Dictionary(grid.axes.map { ($0.path, $0.values) }, uniquingKeysWith: { a, _ in a })
    var excludes: [[String: ConfigValue]] = []
    for item in items {
      guard let pairs = item.entries, !pairs.isEmpty else {
        typeError(item, expected: "a mapping of axis paths to values", for: "grid.exclude", hint: hint)
        continue
      }
      var exclude: [String: ConfigValue] = [:]
      var valid = true
      for pair in pairs {
        guard let values = axes[pair.key] else {
          valid = false
          if axisLocations[pair.key] != nil { continue }  // the axis itself is broken, reported already
          diagnostics.error(
            pair.keyLocation, "exclude names '\(pair.key)', which is not a grid axis",
            hint: NearestName.hint(for: pair.key, in: axes.keys.sorted())
              ?? "the axes are: \(axes.keys.sorted().joined(separator: ", "))")
          continue
        }
        let value = pair.value.value
        guard values.contains(where: { $0.isCanonicallyEqual(to: value) }) else {
          valid = false
          let shown = values.prefix(8).map(\.canonicalJSON).joined(separator: ", ")
          diagnostics.error(
            pair.value.location, "exclude value \(value.canonicalJSON) is not a value of axis '\(pair.key)'",
            hint: "its values are: \(shown)\(values.count > 8 ? ", ..." : "")")
          continue
        }
        exclude[pair.key] = value
      }
      if valid { excludes.append(exclude) }
    }
    return excludes
  }
}

/// "1 value", "2 values".
func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
