import Hashing
import Primitives

extension ConfigValue {
  /// Deterministic compact JSON: keys sorted by their UTF-8 bytes, no spaces, numbers normalized.
  ///
  /// Integral doubles print as integers (`1`, `1.0`, `1e0` hash alike; `-0.0` prints `0`); other doubles print
  /// their shortest round-tripping form. JSON has no NaN or infinities, so those print as the strings
  /// `"NaN"`, `"Infinity"` and `"-Infinity"`. Strings keep non-ASCII characters as UTF-8.
  public var canonicalJSON: String { String(decoding: canonicalBytes, as: UTF8.self) }

  /// Hex SHA-256 of `canonicalJSON`.
  public var canonicalHash: String { SHA256.hex(canonicalBytes) }

  /// `canonicalJSON` as UTF-8 bytes; written as bytes because cell expansion does this 10,000 times.
  var canonicalBytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(512)
    writeCanonical(into: &out)
    return out
  }

  /// The canonical bytes of a mapping with `key` added, split around the value of `key`: expansion writes the
  /// seed-free config once and splices each seed in, instead of serializing the whole config per seed.
  static func canonicalParts(of object: [String: ConfigValue], around key: String) -> (
    head: [UInt8], tail: [UInt8]
  ) {
    let entries = object.filter { $0.key != key }.sorted {
      $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
    }
    let split = entries.partitioningIndex { !$0.key.utf8.lexicographicallyPrecedes(key.utf8) }
    var head: [UInt8] = [UInt8(ascii: "{")]
    head.reserveCapacity(512)
    for entry in entries[..<split] {
      writeJSONString(entry.key, into: &head)
      head.append(UInt8(ascii: ":"))
      entry.value.writeCanonical(into: &head)
      head.append(UInt8(ascii: ","))
    }
    writeJSONString(key, into: &head)
    head.append(UInt8(ascii: ":"))
    var tail: [UInt8] = []
    for entry in entries[split...] {
      tail.append(UInt8(ascii: ","))
      writeJSONString(entry.key, into: &tail)
      tail.append(UInt8(ascii: ":"))
      entry.value.writeCanonical(into: &tail)
    }
    tail.append(UInt8(ascii: "}"))
    return (head, tail)
  }

  func writeCanonical(into out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i): Self.writeInteger(i, into: &out)
    case .double(let d): Self.writeNumber(d, into: &out)
    case .string(let s): Self.writeJSONString(s, into: &out)
    case .array(let a):
      out.append(UInt8(ascii: "["))
      for (i, element) in a.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        element.writeCanonical(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let o):
      out.append(UInt8(ascii: "{"))
      let entries = o.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      for (i, entry) in entries.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        Self.writeJSONString(entry.key, into: &out)
        out.append(UInt8(ascii: ":"))
        entry.value.writeCanonical(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  static func writeInteger(_ value: Int, into out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
    }
  }

  static func writeNumber(_ d: Double, into out: inout [UInt8]) {
    if d.isNaN { return out.append(contentsOf: "\"NaN\"".utf8) }
    if d.isInfinite { return out.append(contentsOf: (d < 0 ? "\"-Infinity\"" : "\"Infinity\"").utf8) }
    if d.rounded() == d, abs(d) < 0x1p63 { return writeInteger(Int(d), into: &out) }
    out.append(contentsOf: d.description.utf8)
  }

  static func writeJSONString(_ s: String, into out: inout [UInt8]) { JSONString.append(s, to: &out) }
}

extension Collection {
  /// The first index whose element satisfies `predicate`, for a collection partitioned by it.
  fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Index {
    firstIndex(where: predicate) ?? endIndex
  }
}
