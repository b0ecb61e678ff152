/// Where a spec problem is: a file and a 1-based line and column.
///
/// Command-line overrides use the file name `--set`, the override's 1-based position as the line, and the
/// column within that argument.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// One problem in a spec, located in its file.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String
  public var hint: String?

  public init(file: String, line: Int, column: Int, message: String, hint: String? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.hint = hint
  }

  init(_ location: SourceLocation, _ message: String, hint: String? = nil) {
    self.init(
      file: location.file, line: location.line, column: location.column, message: message, hint: hint)
  }

  public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

  /// `file:line:col: message (hint: ...)`, always on one line.
  public var description: String {
    var text = "\(file):\(line):\(column): \(message)"
    if let hint { text += " (hint: \(hint))" }
    return Self.oneLine(text)
  }

  private static func oneLine(_ text: String) -> String {
    guard text.contains(where: \.isNewline) else { return text }
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}

/// Every problem found in one load: validation reports all problems, not only the first.
public struct SpecErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [SpecError]

  public init(_ errors: [SpecError]) { self.errors = errors }

  /// One line per problem.
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects problems while a spec is read, so one pass reports them all.
struct Diagnostics {
  private(set) var errors: [SpecError] = []

  var isEmpty: Bool { errors.isEmpty }

  mutating func error(_ location: SourceLocation, _ message: String, hint: String? = nil) {
    errors.append(SpecError(location, message, hint: hint))
  }

  mutating func append(contentsOf other: [SpecError]) { errors.append(contentsOf: other) }

  /// Problems in reading order: by file (those in `files` first, in that order), then line, then column;
  /// duplicates dropped.
  func sorted(files: [String] = []) -> [SpecError] {
    var fileOrder: [String: Int] = [:]
    for file in files + errors.map(\.file) where fileOrder[file] == nil { fileOrder[file] = fileOrder.count }
    var seen = Set<String>()
    return errors.enumerated()
      .sorted { a, b in
        let ka = (fileOrder[a.element.file]!, a.element.line, a.element.column, a.offset)
        let kb = (fileOrder[b.element.file]!, b.element.line, b.element.column, b.offset)
        return ka < kb
      }
      .map(\.element)
      .filter { seen.insert($0.description).inserted }
  }
}
