/// Decodes a `Decodable` settings struct from a cell's config, and rejects every key the struct never asked
/// for, so a misspelt key is an error, never a silent default.
///
/// Numbers convert as the spec means them (`2` reads as a `Double`, `2.0` as an `Int`); every error is a
/// `ConfigError` naming the dotted key.
public struct ConfigValueDecoder: Sendable {
  public init() {}

  public func decode<T: Decodable>(_ type: T.Type, from config: ConfigValue) throws -> T {
    let reading = ConfigReading()
    let value: T
    do {
      value = try T(from: ConfigValueDecoding(value: config, path: [], reading: reading))
    } catch let error as DecodingError {
      throw ConfigError(error)
    }
    if let unknown = reading.firstUnreadKey(in: config, at: ConfigPath(keys: [])) { throw unknown }
    return value
  }
}

/// The keys each mapping was asked for, by the mapping's path: what is left over is unknown.
final class ConfigReading {
  private var asked: [ConfigPath: Set<String>] = [:]

  func ask(_ key: String, at path: ConfigPath) { asked[path, default: []].insert(key) }

  /// The first key, in sorted order, that a mapping which was read holds but its reader never asked for.
  func firstUnreadKey(in value: ConfigValue, at path: ConfigPath) -> ConfigError? {
    guard case .object(let object) = value else { return nil }
    let known = asked[path]
    for key in object.keys.sorted() {
      if let known, !known.contains(key) {
        let candidates = known.sorted()
        let near = Self.nearest(to: key, in: candidates).map { "'\(path.appending($0).dotted)'" }
        let hint =
          near.isEmpty
          ? "known here: \(candidates.joined(separator: ", "))"
          : "did you mean \(near.joined(separator: " or "))?"
        return ConfigError(key: path.appending(key).dotted, "is unknown", hint: hint)
      }
      if let inner = firstUnreadKey(in: object[key]!, at: path.appending(key)) { return inner }
    }
    return nil
  }

  /// A typo's nearest keys: the nearest one, else those whose first word it misspells (`mrm` for
  /// `mlm_visual_clues` and `mrc_linguistic_clues`).
  static func nearest(to key: String, in candidates: [String]) -> [String] {
    if let near = NearestName.nearest(to: key, in: candidates) { return [near] }
    guard key.count >= 2 else { return [] }
    return candidates.filter { candidate in
      let word = String(candidate.prefix { $0 != "_" })
      return word.count < candidate.count && NearestName.distance(key, word) <= 1
    }
  }
}

/// The `Decoder` over one value of the config.
struct ConfigValueDecoding: Decoder {
  let value: ConfigValue
  let path: [any CodingKey]
  let reading: ConfigReading
  var codingPath: [any CodingKey] { path }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let object) = value else { throw mismatch("a mapping") }
    return KeyedDecodingContainer(ConfigValueKeyedContainer<Key>(object: object, decoder: self))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else { throw mismatch("a list") }
    return ConfigValueUnkeyedContainer(items: items, decoder: self)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    ConfigValueSingleContainer(decoder: self)
  }

  func child(_ value: ConfigValue, key: any CodingKey) -> ConfigValueDecoding {
    ConfigValueDecoding(value: value, path: path + [key], reading: reading)
  }

  func mismatch(_ expected: String) -> ConfigError {
    ConfigError(key: ConfigPath(path).dotted, "must be \(expected), got \(value.canonicalJSON)")
  }

  /// A value of type `T`: the scalars by hand (with the spec's number conversions), anything else by its own
  /// `init(from:)`.
  func unbox<T: Decodable>(_ type: T.Type) throws -> T {
    switch type {
    case is ConfigValue.Type: return value as! T
    case is Bool.Type:
      guard let b = value.boolValue else { throw mismatch("true or false") }
      return b as! T
    case is String.Type:
      guard let s = value.stringValue else { throw mismatch("a string") }
      return s as! T
    case is Double.Type: return try finite() as! T
    case is Float.Type: return Float(try finite()) as! T
    case is Int.Type: return try integer() as! T
    case is Int64.Type: return Int64(try integer()) as! T
    case is Int8.Type: return try exact(Int8.self) as! T
    case is Int16.Type: return try exact(Int16.self) as! T
    case is Int32.Type: return try exact(Int32.self) as! T
    case is UInt.Type: return try exact(UInt.self) as! T
    case is UInt8.Type: return try exact(UInt8.self) as! T
    case is UInt16.Type: return try exact(UInt16.self) as! T
    case is UInt32.Type: return try exact(UInt32.self) as! T
    case is UInt64.Type: return try exact(UInt64.self) as! T
    default: return try T(from: self)
    }
  }

  private func finite() throws -> Double {
    guard let d = value.doubleValue, d.isFinite else { throw mismatch("a number") }
    return d
  }

  private func integer() throws -> Int {
    guard let i = value.intValue else { throw mismatch("an integer") }
    return i
  }

  private func exact<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
    guard let i = I(exactly: try integer()) else {
      throw mismatch(I.min == 0 ? "a non-negative integer" : "an integer in \(I.min)...\(I.max)")
    }
    return i
  }
}

struct ConfigValueKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let object: [String: ConfigValue]
  let decoder: ConfigValueDecoding
  var codingPath: [any CodingKey] { decoder.path }
  var allKeys: [Key] {
    object.keys.sorted().compactMap { name in
      Key(stringValue: name).map { key in
        ask(key)
        return key
      }
    }
  }

  private func ask(_ key: Key) { decoder.reading.ask(key.stringValue, at: ConfigPath(decoder.path)) }

  private func child(_ key: Key) throws -> ConfigValueDecoding {
    ask(key)
    guard let value = object[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key, DecodingError.Context(codingPath: codingPath, debugDescription: "is required"))
    }
    return decoder.child(value, key: key)
  }

  func contains(_ key: Key) -> Bool {
    ask(key)
    return object[key.stringValue] != nil
  }

  func decodeNil(forKey key: Key) throws -> Bool { try child(key).value.isNull }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).unbox(type) }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).unbox(type) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).unbox(type) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).unbox(type) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).unbox(type) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).unbox(type) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).unbox(type) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).unbox(type) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).unbox(type) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).unbox(type) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).unbox(type) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).unbox(type) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).unbox(type) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).unbox(type) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).unbox(type) }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try child(key).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try child(key).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder { decoder }
  func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct ConfigValueUnkeyedContainer: UnkeyedDecodingContainer {
  let items: [ConfigValue]
  let decoder: ConfigValueDecoding
  private(set) var currentIndex = 0
  var codingPath: [any CodingKey] { decoder.path }
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  init(items: [ConfigValue], decoder: ConfigValueDecoding) {
    self.items = items
    self.decoder = decoder
  }

  private struct Index: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue!)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
  }

  private mutating func next() throws -> ConfigValueDecoding {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        ConfigValue.self, DecodingError.Context(codingPath: codingPath, debugDescription: "has too few items")
      )
    }
    defer { currentIndex += 1 }
    return decoder.child(items[currentIndex], key: Index(intValue: currentIndex))
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, items[currentIndex].isNull else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().unbox(type) }
  mutating func decode(_ type: Bool.Type) throws -> Bool { try next().unbox(type) }
  mutating func decode(_ type: String.Type) throws -> String { try next().unbox(type) }
  mutating func decode(_ type: Double.Type) throws -> Double { try next().unbox(type) }
  mutating func decode(_ type: Float.Type) throws -> Float { try next().unbox(type) }
  mutating func decode(_ type: Int.Type) throws -> Int { try next().unbox(type) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().unbox(type) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().unbox(type) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().unbox(type) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().unbox(type) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next().unbox(type) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().unbox(type) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().unbox(type) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().unbox(type) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().unbox(type) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try next().container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try next().unkeyedContainer()
  }
  mutating func superDecoder() throws -> any Decoder { try next() }
}

struct ConfigValueSingleContainer: SingleValueDecodingContainer {
  let decoder: ConfigValueDecoding
  var codingPath: [any CodingKey] { decoder.path }

  func decodeNil() -> Bool { decoder.value.isNull }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.unbox(type) }
  func decode(_ type: Bool.Type) throws -> Bool { try decoder.unbox(type) }
  func decode(_ type: String.Type) throws -> String { try decoder.unbox(type) }
  func decode(_ type: Double.Type) throws -> Double { try decoder.unbox(type) }
  func decode(_ type: Float.Type) throws -> Float { try decoder.unbox(type) }
  func decode(_ type: Int.Type) throws -> Int { try decoder.unbox(type) }
  func decode(_ type: Int8.Type) throws -> Int8 { try decoder.unbox(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try decoder.unbox(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try decoder.unbox(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { try decoder.unbox(type) }
  func decode(_ type: UInt.Type) throws -> UInt { try decoder.unbox(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.unbox(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.unbox(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.unbox(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.unbox(type) }
}
