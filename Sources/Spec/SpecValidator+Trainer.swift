import Foundation

/// The placeholders a command trainer's arguments may name; the runner fills them in for each attempt.
public enum TrainerPlaceholder: String, CaseIterable, Sendable {
  case config, configYAML = "config_yaml", outputDir = "output_dir", checkpointDir = "checkpoint_dir"
  case seed, cellID = "cell_id", attempt

  public var token: String { "{\(rawValue)}" }

  /// `argument` with every placeholder replaced by its value.
  public static func fill(_ argument: String, _ values: [TrainerPlaceholder: String]) -> String {
    guard argument.contains("{") else { return argument }
    var filled = argument
    for (placeholder, value) in values { filled = filled.replacingOccurrences(of: placeholder.token, with: value) }
    return filled
  }
}

extension SpecValidator {
  /// `trainer.code`: a list of files or folders that must exist, relative to the spec's folder.
  mutating func validateTrainerCode(_ trainer: SourceNode.Entry?, specFile: String, key: String = "trainer")
    -> [String]
  {
    guard let entry = trainer?.value["code"] else { return [] }
    let hint = "write code: [train.py, lib/]; their content joins the trainer's identity"
    if trainer?.value["builtin"] != nil {
      diagnostics.error(
        entry.keyLocation, "'trainer.code' is for command trainers",
        hint: "a built-in trainer's identity is its version")
      return []
    }
    guard let items = entry.value.items, !items.isEmpty else {
      typeError(entry.value, expected: "a list of paths", for: "\(key).code", hint: hint)
      return []
    }
    let folder = URL(fileURLWithPath: specFile).deletingLastPathComponent()
    var paths: [String] = []
    for item in items {
      guard case .string(let path) = item.scalar, !path.isEmpty else {
        typeError(item, expected: "a path", for: "\(key).code", hint: hint)
        continue
      }
      let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
      guard FileManager.default.fileExists(atPath: url.path) else {
        diagnostics.error(
          item.location, "'\(key).code' path '\(path)' does not exist",
          hint: "looked for \(url.standardizedFileURL.path); paths are relative to the spec's folder")
        continue
      }
      paths.append(path)
    }
    return paths
  }

  /// A `{word}` in a command argument must be a known placeholder: a typo is an error, not a literal.
  mutating func validatePlaceholders(_ command: SourceNode.Entry, key: String) {
    let known = Set(TrainerPlaceholder.allCases.map(\.rawValue))
    for item in command.value.items ?? [] {
      guard case .scalar(_, let text) = item.kind else { continue }
      var rest = text[...]
      while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
        let name = String(rest[rest.index(after: open)..<close])
        if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }), !known.contains(name) {
          diagnostics.error(
            item.location, "unknown placeholder '{\(name)}' in '\(key)'",
            hint: NearestName.hint(for: name, in: known.sorted())
              ?? "known: " + known.sorted().map { "{\($0)}" }.joined(separator: ", "))
        }
        rest = rest[rest.index(after: close)...]
      }
    }
  }
}
