/// A coding key written as a string literal, so a settings struct reads `container.decode("lr", default: lr)`
/// without a `CodingKeys` enum that repeats every name.
public struct SettingKey: CodingKey, Hashable, Sendable, ExpressibleByStringLiteral {
  public var stringValue: String
  public var intValue: Int? { nil }

  public init(_ name: String) { stringValue = name }
  public init(stringValue: String) { self.init(stringValue) }
  public init?(intValue: Int) { nil }
  public init(stringLiteral value: String) { self.init(value) }
}
