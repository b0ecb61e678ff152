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

  static func read(text: String, file: String) -> Result<SourceNode, SpecErrors> {
    let start = SourceLocation(file: file, line: 1, column: 1)
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, Resolver.basic)
    } catch let error as YamlError {
      return .failure(SpecErrors([describe(error, text: text, file: file)]))
    } catch {
      return .failure(SpecErrors([SpecError(start, "cannot parse YAML: \(error)")]))
    }
    guard let root else {
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

  // MARK: Parser errors

  static func describe(_ error: YamlError, text: String, file: String) -> SpecError {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    func location(_ mark: Mark) -> SourceLocation {
      SourceLocation(file: file, line: max(1, mark.line), column: max(1, mark.column))
    }
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      if let tab = tabInIndentation(lines: lines, line: mark.line) {
        return SpecError(
          SourceLocation(file: file, line: mark.line, column: tab), "tab character in indentation",
          hint: "YAML forbids tabs for indentation; use spaces")
      }
      return SpecError(
        location(mark), "invalid YAML: \(problem)",
        hint: syntaxHint(problem: problem, context: context))
    case .duplicatedKeysInMapping(let duplicates, let context):
      let key = duplicates.first ?? "?"
      let first = context.mark
      if let second = locateDuplicate(key: key, after: first, lines: lines) {
        return SpecError(
          SourceLocation(file: file, line: second.line, column: second.column), "duplicate key '\(key)'",
          hint: "'\(key)' is already defined at line \(first.line), column \(first.column)")
      }
      return SpecError(
        location(first), "duplicate key '\(key)' in this mapping",
        hint: "each key may appear once in a mapping")
    case .reader(let problem, let offset, _, _):
      let (line, column) = offset.map { lineAndColumn(ofCharacterOffset: $0, in: text) } ?? (1, 1)
      return SpecError(
        SourceLocation(file: file, line: line, column: column), "unreadable YAML: \(problem)",
        hint: "a spec is a YAML text file in UTF-8")
    default:
      return SpecError(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)")
    }
  }

  private static func syntaxHint(problem: String, context: YamlError.Context?) -> String? {
    if problem.contains("mapping values are not allowed") {
      return "quote a value that contains ': ', or start a nested mapping on a new line"
    }
    if problem.contains("cannot start any token") {
      return "quote the value"
    }
    if problem.contains("did not find expected key") || problem.contains("expected <block end>") {
      return "check the indentation of this line"
    }
    if let context {
      let text = context.text.trimmingCharacters(in: .whitespacesAndNewlines)
      return "\(text) at line \(context.mark.line), column \(context.mark.column)"
    }
    return nil
  }

  /// The 1-based column of a tab in the indentation of `line`, if any.
  private static func tabInIndentation(lines: [Substring], line: Int) -> Int? {
    guard line >= 1, line <= lines.count else { return nil }
    var column = 1
    for ch in lines[line - 1].unicodeScalars {
      if ch == "\t" { return column }
      if ch != " " { return nil }
      column += 1
    }
    return nil
  }

  private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (Int, Int) {
    var line = 1
    var column = 1
    for ch in text.prefix(offset) {
      if ch == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }

  /// Yams reports where a duplicated key first appears; find its second appearance in the same mapping.
  static func locateDuplicate(key: String, after first: Mark, lines: [Substring]) -> (line: Int, column: Int)? {
    guard first.line >= 1, first.line <= lines.count else { return nil }
    let spellings = [key, "'\(key)'", "\"\(key)\""]
    func keyStarts(_ text: Substring.UnicodeScalarView.SubSequence) -> Bool {
      for spelling in spellings where text.starts(with: spelling.unicodeScalars) {
        let rest = text.dropFirst(spelling.unicodeScalars.count).drop { $0 == " " }
        if rest.first == ":" { return true }
      }
      return false
    }
    // Flow mapping: a later ", key:" on the same line.
    let firstLine = Array(lines[first.line - 1].unicodeScalars)
    var i = first.column - 1 + key.unicodeScalars.count
    while i < firstLine.count {
      if firstLine[i] == "," || firstLine[i] == "{" {
        var j = i + 1
        while j < firstLine.count, firstLine[j] == " " { j += 1 }
        if j < firstLine.count, keyStarts(String(String.UnicodeScalarView(firstLine[j...])).unicodeScalars[...]) {
          return (first.line, j + 1)
        }
      }
      i += 1
    }
    // Block mapping: a later line at the same indentation, before the mapping ends.
    let indent = first.column - 1
    var lineNumber = first.line + 1
    while lineNumber <= lines.count {
      let scalars = lines[lineNumber - 1].unicodeScalars
      let spaces = scalars.prefix { $0 == " " }.count
      let rest = scalars.dropFirst(spaces)
      if rest.isEmpty || rest.first == "#" || rest.first == "\r" {
        lineNumber += 1
        continue
      }
      if spaces < indent { return nil }
      if spaces == indent, keyStarts(rest) { return (lineNumber, indent + 1) }
      lineNumber += 1
    }
    return nil
  }
}

/// Converts Yams nodes to located nodes: resolves scalars, applies `<<` merge keys, checks key types.
private struct Converter {
  let file: String
  var diagnostics = Diagnostics()
  var budget = YAMLReader.nodeBudget
  var exhausted = false

  init(file: String) { self.file = file }

  func location(_ mark: Mark?) -> SourceLocation {
    SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
  }

  mutating func convert(_ node: Node) -> SourceNode {
    let loc = location(node.mark)
    budget -= 1
    if budget < 0 {
      if !exhausted {
        exhausted = true
        diagnostics.error(
          loc, "document is too large (over \(YAMLReader.nodeBudget) values after expanding aliases)",
          hint: "avoid aliases that expand to themselves many times")
      }
      return SourceNode(kind: .scalar(.null, text: ""), location: loc)
    }
    switch node {
    case .scalar(let scalar):
      return SourceNode(kind: .scalar(resolve(scalar, at: loc), text: scalar.string), location: loc)
    case .sequence(let sequence):
      return SourceNode(kind: .list(sequence.map { convert($0) }), location: loc)
    case .mapping(let mapping):
      var entries: [SourceNode.Entry] = []
      var merged: [SourceNode.Entry] = []
      for (keyNode, valueNode) in mapping {
        let keyLoc = location(keyNode.mark)
        guard case .scalar(let keyScalar) = keyNode else {
          diagnostics.error(
            keyLoc, "mapping keys must be plain names, found \(keyNode.mapping != nil ? "a mapping" : "a list")")
          continue
        }
        let value = convert(valueNode)
        if keyScalar.string == "<<" && keyScalar.style == .plain {
          merged.append(contentsOf: mergeSources(value))
          continue
        }
        entries.append(SourceNode.Entry(key: keyScalar.string, keyLocation: keyLoc, value: value))
      }
      // Explicit keys win over merged ones; earlier merge sources win over later ones.
      var seen = Set(entries.map(\.key))
      for entry in merged where seen.insert(entry.key).inserted { entries.append(entry) }
      return SourceNode(kind: .map(entries), location: loc)
    case .alias:
      return SourceNode(kind: .scalar(.null, text: ""), location: loc)
    }
  }

  private mutating func mergeSources(_ value: SourceNode) -> [SourceNode.Entry] {
    switch value.kind {
    case .map(let entries): return entries
    case .list(let items):
      var all: [SourceNode.Entry] = []
      for item in items {
        guard let entries = item.entries else {
          diagnostics.error(item.location, "a '<<' merge list may only hold mappings, found \(item.kindDescription)")
          continue
        }
        all.append(contentsOf: entries)
      }
      return all
    case .scalar:
      diagnostics.error(
        value.location, "a '<<' merge key needs a mapping or a list of mappings, found \(value.kindDescription)")
      return []
    }
  }

  private mutating func resolve(_ scalar: Node.Scalar, at loc: SourceLocation) -> ConfigValue {
    let text = scalar.string
    switch Tag.Name(rawValue: scalar.tag.rawValue) {
    case .implicit:
      return scalar.style == .plain ? ScalarResolver.resolvePlain(text) : .string(text)
    case .str, .nonSpecific:
      return .string(text)
    case .int:
      if let i = ScalarResolver.integer(text) { return .int(i) }
      diagnostics.error(loc, "'\(text)' is not an integer", hint: "remove the !!int tag or fix the value")
    case .float:
      if let d = ScalarResolver.float(text) ?? ScalarResolver.integer(text).map(Double.init) { return .double(d) }
      diagnostics.error(loc, "'\(text)' is not a number", hint: "remove the !!float tag or fix the value")
    case .bool:
      if let b = ScalarResolver.bool(text) { return .bool(b) }
      diagnostics.error(loc, "'\(text)' is not a boolean", hint: "use true or false")
    case .null:
      if ScalarResolver.isNull(text) { return .null }
      diagnostics.error(loc, "'\(text)' is not null", hint: "use null or ~")
    default:
      diagnostics.error(
        loc, "unsupported YAML tag '\(scalar.tag.rawValue)'",
        hint: "use plain values; the tags !!str, !!int, !!float, !!bool and !!null are understood")
    }
    return .string(text)
  }
}
