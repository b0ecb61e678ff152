import Foundation
import Yams

/// Turns a file's bytes into a located YAML tree, or into one clear line per problem.
///
/// Scalars resolve by the YAML 1.2 core schema (so `1e-4` is a number, `yes` and `on` stay strings); a quoted
/// scalar is always a string. Anchors, aliases and `<<` merge keys work as in YAML 1.1.
enum YAMLReader {
  /// Upper bound on nodes after alias expansion: guards against "billion laughs" documents.
  static let nodeBudget = 200_000

  /// Reads one YAML document. `nil` with no errors never happens: an empty document is an error.
  static func read(data: Data, file: String) -> Result<SourceNode, SpecErrors> {
    let start = SourceLocation(file: file, line: 1, column: 1)
    if data.isEmpty {
      return .failure(
        SpecErrors([
          SpecError(
            start, "file is empty", hint: "a spec needs at least 'name', 'trainer' and 'baseline'")
        ]))
    }
    if let problem = binaryProblem(in: data, file: file) { return .failure(SpecErrors([problem])) }
    let text = String(decoding: data, as: UTF8.self)
    return read(text: text, file: file)
  }

  static func read(text original: String, file: String) -> Result<SourceNode, SpecErrors> {
    let start = SourceLocation(file: file, line: 1, column: 1)
    // A byte-order mark says nothing; CRLF files read like LF ones (line numbers are unchanged).
    var text = original.hasPrefix("\u{FEFF}") ? String(original.dropFirst()) : original
    if text.contains("\r\n") { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, Resolver.basic)
    } catch let error as YamlError {
      return .failure(SpecErrors([describe(error, text: text, file: file)]))
    } catch {
      return .failure(SpecErrors([SpecError(start, "cannot parse YAML: \(error)")]))
    }
    let isEmptyDocument = root.map { $0.scalar?.string.isEmpty == true && $0.scalar?.style == .plain } ?? true
    guard let root, !isEmptyDocument else {
      return .failure(
        SpecErrors([
          SpecError(
            start, "file has no YAML content (only blank lines or comments)",
            hint: "a spec needs at least 'name', 'trainer' and 'baseline'")
        ]))
    }
    var converter = Converter(file: file)
    let node = converter.convert(root)
    if !converter.diagnostics.isEmpty { return .failure(SpecErrors(converter.diagnostics.sorted())) }
    return .success(node)
  }

  // MARK: Binary input

  /// Invalid UTF-8 or control characters: the file is not a text spec at all.
  static func binaryProblem(in data: Data, file: String) -> SpecError? {
    var line = 1
    var column = 1
    var offset = 0
    var iterator = data.makeIterator()
    var decoder = UTF8()
    let hint = "a spec is a YAML text file in UTF-8"
    while true {
      switch decoder.decode(&iterator) {
      case .emptyInput:
        return nil
      case .error:
        let byte = data[data.startIndex + offset]
        return SpecError(
          SourceLocation(file: file, line: line, column: column),
          "file is not UTF-8 text (invalid byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset))",
          hint: hint)
      case .scalarValue(let scalar):
        let v = scalar.value
        let allowed =
          v == 0x09 || v == 0x0A || v == 0x0D || (0x20...0x7E).contains(v) || v == 0x85
          || (0xA0...0xFFFD).contains(v) && v != 0xFEFF || v >= 0x10000 || (v == 0xFEFF && offset == 0)
        if !allowed {
          let code = String(v, radix: 16, uppercase: true)
          return SpecError(
            SourceLocation(file: file, line: line, column: column),
            "file contains binary data (control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code))",
            hint: hint)
        }
        offset += UTF8.width(scalar)
        if v == 0x0A {
          line += 1
          column = 1
        } else {
          column += 1
        }
      }
    }
  }
}
