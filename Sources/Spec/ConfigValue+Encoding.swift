import Foundation

extension ConfigValue {
  /// The config `value` encodes to (keys as its `CodingKeys` spell them, a nil optional left out), so a typed
  /// struct hashes to the same canonical JSON as the map it stands for. Non-finite numbers become the strings
  /// `canonicalJSON` writes for them anyway.
  public init(encoding value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    self = try JSONDecoder().decode(ConfigValue.self, from: encoder.encode(value))
  }
}
