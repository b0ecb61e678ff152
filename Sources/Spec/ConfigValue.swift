/// A YAML/JSON-like value: what a spec's baseline and a cell's resolved config are made of.
///
/// Integers and doubles stay distinct (a trainer may care), but they hash alike when equal in value:
/// see `canonicalJSON`.
public enum ConfigValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([ConfigValue])
  case object([String: ConfigValue])
}

extension ConfigValue {
  /// The value as a `Double`, for integers too.
  public var doubleValue: Double? {
    switch self {
    case .int(let i): Double(i)
    case .double(let d): d
    default: nil
    }
  }

  /// The value as an `Int`, for doubles too when they are integral and in range.
  public var intValue: Int? {
    switch self {
    case .int(let i): return i
    case .double(let d):
      guard d.isFinite, d.rounded() == d, abs(d) < 0x1p63 else { return nil }
      return Int(d)
    default: return nil
    }
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [ConfigValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [String: ConfigValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var isNull: Bool { self == .null }

  /// "a mapping", "a list", ...: the noun used in "expected X, found Y" messages.
  public var kindDescription: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .int: "an integer"
    case .double: "a number"
    case .string: "a string"
    case .array: "a list"
    case .object: "a mapping"
    }
  }

  /// Equality of values as the cell identity sees them: `1 == 1.0`, key order never matters.
  public func isCanonicallyEqual(to other: ConfigValue) -> Bool {
    switch (self, other) {
    case (.int, .double), (.double, .int), (.double, .double):
      return canonicalJSON == other.canonicalJSON
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.isCanonicallyEqual(to: $1) }
    case (.object(let a), .object(let b)):
      return a.count == b.count
        && a.allSatisfy { key, value in b[key].map { value.isCanonicallyEqual(to: $0) } ?? false }
    default:
      return self == other
    }
  }
}

extension ConfigValue: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int.self) {
      self = .int(i)
    } else if let d = try? container.decode(Double.self) {
      self = .double(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([ConfigValue].self) {
      self = .array(a)
    } else if let o = try? container.decode([String: ConfigValue].self) {
      self = .object(o)
    } else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not a JSON-like config value")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .int(let i): try container.encode(i)
    case .double(let d): try container.encode(d)
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o): try container.encode(o)
    }
  }
}

extension ConfigValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, ConfigValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension ConfigValue: CustomStringConvertible {
  /// The canonical JSON text: compact and deterministic, good for messages and logs.
  public var description: String { canonicalJSON }
}
