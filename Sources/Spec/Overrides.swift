/// Command-line overrides: `--set optim.lr=1e-4` changes the baseline as if the file said so.
///
/// The value is read as YAML (`1e-4` a number, `base` a string, `[1,2]` a list, empty is null). The path must
/// exist in the baseline and must not be swept by the grid (the grid would override it). Errors are located
/// at `--set:N:COL`, N being the override's position among the overrides.
extension SpecValidator {
  mutating func applyOverrides(_ overrides: [String]) -> [Assignment] {
    var applied: [Assignment] = []
    var appliedLines: [Int] = []
    for (index, text) in overrides.enumerated() {
      let line = index + 1
      let location = SourceLocation(file: "--set", line: line, column: 1)
      guard let equals = text.firstIndex(of: "=") else {
        diagnostics.error(
          location, "override '\(text)' has no '='", hint: "write --set path=value, like optim.lr=1e-4")
        continue
      }
      let path = String(text[..<equals])
      let valueText = String(text[text.index(after: equals)...])
      let valueColumn = path.unicodeScalars.count + 2
      // The shell hands arguments over as bytes; Swift repairs invalid UTF-8 with U+FFFD.
      if let bad = text.unicodeScalars.firstIndex(of: "\u{FFFD}") {
        let column = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: bad) + 1
        diagnostics.error(
          SourceLocation(file: "--set", line: line, column: column), "--set is not UTF-8 text",
          hint: "pass the value in UTF-8")
        continue
      }
      if let earlier = applied.firstIndex(where: { Self.overlaps($0.path, path) }) {
        let what =
          applied[earlier].path == path ? "sets '\(path)' again" : "overlaps '\(applied[earlier].path)'"
        diagnostics.error(
          location, "--set '\(path)' \(what) (--set:\(appliedLines[earlier]))",
          hint: "give each path once")
        continue
      }
      if path == "seeds" {
        // Not a config path: replaces the spec's seed list (`--set seeds=[1]` for a quick try).
        switch YAMLReader.read(text: valueText, file: "--set") {
        case .success(let node):
          seedsOverride = SourceNode.Entry(key: "seeds", keyLocation: location, value: node)
          applied.append(Assignment(path: path, value: node.value))
          appliedLines.append(line)
        case .failure:
          diagnostics.error(
            SourceLocation(file: "--set", line: line, column: valueColumn),
            "invalid value in --set seeds: '\(valueText)'",
            hint: "write --set seeds=[1] or --set seeds=[1,2,3]")
        }
        continue
      }
      guard checkPath(path, at: location, usedBy: "--set") else { continue }
      if let axis = conflictingAxis(path, orBelow: true) {
        diagnostics.error(
          location, "--set '\(path)' would have no effect: the grid sweeps '\(axis)'",
          hint: "edit the grid in the spec instead")
        continue
      }
      let value: ConfigValue
      switch YAMLReader.read(text: valueText, file: "--set") {
      case .success(let node):
        value = node.value
      case .failure(let errors):
        if valueText.allSatisfy(\.isWhitespace) {
          value = .null
        } else {
          for error in errors.errors {
            let column = error.line == 1 ? error.column : valueText.unicodeScalars.count + 1
            diagnostics.error(
              SourceLocation(file: "--set", line: line, column: valueColumn + column - 1),
              "invalid value in --set \(path): \(error.message)",
              hint: "the value is read as YAML, like 1e-4, base, [1,2] or {a: 1}")
          }
          continue
        }
      }
      baseline.set(path: path, to: value)
      applied.append(Assignment(path: path, value: value))
      appliedLines.append(line)
    }
    if applied.contains(where: { $0.path != "seeds" }) { baselinePaths = Set(baseline.allPaths) }
    return applied
  }
}
