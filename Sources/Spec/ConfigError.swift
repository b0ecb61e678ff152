/// A cell's config that a trainer cannot read: the dotted key, what is wrong with it, and a hint when one helps.
/// `ablate run` places it at the spec line that sets the key.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  public var key: String
  public var problem: String
  public var hint: String?

  public init(key: String, _ problem: String, hint: String? = nil) {
    self.key = key
    self.problem = problem
    self.hint = hint
  }

  public var description: String { "config key '\(key)' \(problem)" }
}

extension ConfigError {
  /// A `DecodingError` thrown by a settings struct (a range check), at the key it names.
  init(_ error: DecodingError) {
    switch error {
    case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
      self.init(key: ConfigPath(context.codingPath).dotted, context.debugDescription)
    case .keyNotFound(let key, let context):
      self.init(key: ConfigPath(context.codingPath + [key]).dotted, "is required")
    @unknown default:
      self.init(key: "", "\(error)")
    }
  }
}

/// A coding path as a config's dotted key; list positions are dropped (the key names the list).
struct ConfigPath: Hashable {
  var keys: [String]

  init(_ codingPath: [any CodingKey]) { keys = codingPath.filter { $0.intValue == nil }.map(\.stringValue) }
  init(keys: [String]) { self.keys = keys }

  var dotted: String { keys.joined(separator: ".") }
  func appending(_ key: String) -> ConfigPath { ConfigPath(keys: keys + [key]) }
}
