import Foundation
import Yams

/// Parser errors as one located line each, with hints for the usual mistakes.
extension YAMLReader {

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
      if problem.contains("nesting level") {
        return SpecError(
          location(mark), "invalid YAML: values nested too deeply",
          hint: "YAML input may nest at most 1000 levels")
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
  static func locateDuplicate(key: String, after first: Mark, lines: [Substring]) -> (line: Int, column: Int)?
  {
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
        if j < firstLine.count,
          keyStarts(String(String.UnicodeScalarView(firstLine[j...])).unicodeScalars[...])
        {
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
