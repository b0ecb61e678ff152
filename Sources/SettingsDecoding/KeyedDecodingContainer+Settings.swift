/// Reading a trainer's settings from any `Decoder`: a missing or null key keeps the property's default (so the
/// defaults live in one place, the struct's declaration), a present one must have the right type and range.
/// A bad value is a `DecodingError` at its key; the config decoder turns it into one line naming the key.
extension KeyedDecodingContainer {
  /// The value at `key`, or `fallback` when the key is absent or null.
  public func decode<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
    try decodeIfPresent(T.self, forKey: key) ?? fallback
  }

  /// The value at `key` when present, checked against its bounds (`below` is exclusive).
  public func decode<T: Decodable & Comparable>(
    _ key: Key, atLeast minimum: T? = nil, atMost maximum: T? = nil, below limit: T? = nil
  ) throws -> T? {
    guard let value = try decodeIfPresent(T.self, forKey: key) else { return nil }
    let problem: String? =
      if let minimum, value < minimum {
        "must be >= \(bound(minimum))"
      } else if let maximum, value > maximum {
        "must be <= \(bound(maximum))"
      } else if let limit, value >= limit {
        "must be < \(bound(limit))"
      } else {
        nil
      }
    if let problem {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: self, debugDescription: "\(problem), got \(value)")
    }
    return value
  }

  /// The value at `key` checked against its bounds, or `fallback` when absent or null.
  public func decode<T: Decodable & Comparable>(
    _ key: Key, default fallback: T, atLeast minimum: T? = nil, atMost maximum: T? = nil,
    below limit: T? = nil
  ) throws -> T {
    try decode(key, atLeast: minimum, atMost: maximum, below: limit) ?? fallback
  }

  /// One of an enumeration's names, or `fallback` when absent; any other string names the allowed ones.
  public func decode<T: CaseIterable & RawRepresentable>(_ key: Key, default fallback: T) throws -> T
  where T.RawValue == String {
    guard let name = try decodeIfPresent(String.self, forKey: key) else { return fallback }
    return try choice(T.self, named: name, at: key)
  }

  /// A list of an enumeration's names, or `fallback` when absent.
  public func decode<T: CaseIterable & RawRepresentable>(_ key: Key, default fallback: [T]) throws -> [T]
  where T.RawValue == String {
    guard let names = try decodeIfPresent([String].self, forKey: key) else { return fallback }
    return try names.map { try choice(T.self, named: $0, at: key) }
  }

  /// The nested mapping at `key`, nil when the key is absent or null.
  public func nested(_ key: Key) throws -> KeyedDecodingContainer<Key>? {
    guard contains(key), try !decodeNil(forKey: key) else { return nil }
    return try nestedContainer(keyedBy: Key.self, forKey: key)
  }

  /// A bound as a spec would write it: `1`, not `1.0`.
  private func bound<T>(_ value: T) -> String {
    let text = "\(value)"
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  private func choice<T: CaseIterable & RawRepresentable>(_ type: T.Type, named name: String, at key: Key)
    throws
    -> T
  where T.RawValue == String {
    if let value = T(rawValue: name) { return value }
    let names = T.allCases.map(\.rawValue).joined(separator: " | ")
    throw DecodingError.dataCorruptedError(
      forKey: key, in: self, debugDescription: "must be one of \(names), got \"\(name)\"")
  }
}
