import Foundation

/// A word-piece-free vocabulary in BERT's `vocab.txt` format: one token a line, the line number is
/// the id. The world's language is closed, so whole words are tokens.
public struct Vocabulary: Sendable, Equatable {
  public static let pad = "[PAD]"
  public static let unknown = "[UNK]"
  public static let cls = "[CLS]"
  public static let sep = "[SEP]"
  public static let mask = "[MASK]"
  public static let specials = [pad, unknown, cls, sep, mask]

  public let tokens: [String]
  private let ids: [String: Int]

  public init(tokens: [String]) throws {
    var ids: [String: Int] = [:]
    for (i, t) in tokens.enumerated() {
      guard !t.isEmpty, !t.contains(where: \.isWhitespace) else {
        throw WorldError(file: "vocab.txt", line: i + 1, message: "token '\(t)' is empty or has whitespace")
      }
      guard ids[t] == nil else {
        throw WorldError(file: "vocab.txt", line: i + 1, message: "token '\(t)' appears twice")
      }
      ids[t] = i
    }
    for s in Vocabulary.specials where ids[s] == nil {
      throw WorldError(file: "vocab.txt", line: tokens.count, message: "missing special token \(s)")
    }
    self.tokens = tokens
    self.ids = ids
  }

  public var count: Int { tokens.count }
  public var padID: Int { ids[Vocabulary.pad]! }
  public var unknownID: Int { ids[Vocabulary.unknown]! }
  public var clsID: Int { ids[Vocabulary.cls]! }
  public var sepID: Int { ids[Vocabulary.sep]! }
  public var maskID: Int { ids[Vocabulary.mask]! }

  public func id(_ token: String) -> Int { ids[token] ?? unknownID }
  public func token(_ id: Int) -> String { tokens.indices.contains(id) ? tokens[id] : Vocabulary.unknown }

  /// Words of `text`: lower-cased, split on whitespace, with `.`, `,`, `?` as tokens of their own.
  public static func words(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    for ch in text.lowercased() {
      if ch.isWhitespace {
        if !current.isEmpty { out.append(current) }
        current = ""
      } else if ch == "." || ch == "," || ch == "?" {
        if !current.isEmpty { out.append(current) }
        current = ""
        out.append(String(ch))
      } else {
        current.append(ch)
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }

  public func encode(_ text: String) -> [Int] { Vocabulary.words(text).map(id) }
  public func decode(_ ids: [Int]) -> String { ids.map(token).joined(separator: " ") }

  /// The file's text: one token a line.
  public var fileText: String { tokens.map { $0 + "\n" }.joined() }

  public init(contentsOf url: URL) throws {
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch {
      throw WorldError(
        file: url.path, line: 0, message: "cannot read vocabulary: \(error.localizedDescription)")
    }
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    do { try self.init(tokens: lines) } catch var e as WorldError {
      e.file = url.path
      throw e
    }
  }

  /// The vocabulary of `version`'s world.
  public static func world(_ version: WorldVersion) -> Vocabulary {
    switch version {
    case .v1: world
    case .v2, .v3: worldV2
    }
  }

  /// Version 2: version 1's words and those of its passages, sorted the same way.
  static let worldV2: Vocabulary = {
    let added = Vocabulary.words("whatever its keep at home kind like later")
    return try! Vocabulary(tokens: specials + Set(world.tokens.dropFirst(specials.count) + added).sorted())
  }()

  /// Version 1's vocabulary: the special tokens, then every word the generators can produce,
  /// sorted, so ids do not depend on seed or scale.
  public static let world: Vocabulary = {
    var words = Set<String>()
    for c in Category.allCases { words.insert(c.word); words.insert(c.plural); words.insert(c.pronoun) }
    for c in Colour.allCases { words.insert(c.word) }
    for t in Texture.allCases { words.insert(t.word) }
    for s in SizeClass.allCases { words.insert(s.word) }
    for p in Purpose.allCases { words.insert(p.word) }
    for n in 0...7 { words.insert(String(n)); words.insert(Grammar.count(n)) }
    let template = """
      . , ? a an the and or but so if because when that who which what how many is are was were \
      there this these in of to for with next left right above below near than as big bigger smaller \
      thing things one person picture used every people own you need both not only good wanted something \
      left them it they he she said knew found holds likes sees old new colour shape pattern does have \
      would use could here needed fits some someone yes
      """
    for w in Vocabulary.words(template) { words.insert(w) }
    return try! Vocabulary(tokens: specials + words.sorted())
  }()
}

/// A problem with world data or its files, with where it is.
public struct WorldError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var line: Int
  public var column: Int = 1
  public var message: String
  public var hint: String? = nil

  public init(file: String, line: Int, column: Int = 1, message: String, hint: String? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.hint = hint
  }

  public var description: String {
    "\(file):\(line):\(column): \(message)" + (hint.map { " (hint: \($0))" } ?? "")
  }
}
