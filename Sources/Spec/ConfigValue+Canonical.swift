import Crypto
import Foundation

extension ConfigValue {
  /// Deterministic compact JSON: keys sorted by their UTF-8 bytes, no spaces, numbers normalized.
  ///
  /// Integral doubles print as integers (`1`, `1.0`, `1e0` hash alike; `-0.0` prints `0`); other doubles print
  /// their shortest round-tripping form. JSON has no NaN or infinities, so those print as the strings
  /// `"NaN"`, `"Infinity"` and `"-Infinity"`.
  public var canonicalJSON: String {
    var out = ""
    out.reserveCapacity(256)
    writeCanonical(into: &out)
    return out
  }

  /// Hex SHA-256 of `canonicalJSON`.
  public var canonicalHash: String { sha256Hex(canonicalJSON) }

  func writeCanonical(into out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += Self.canonicalNumber(d)
    case .string(let s): Self.writeJSONString(s, into: &out)
    case .array(let a):
      out += "["
      for (i, element) in a.enumerated() {
        if i > 0 { out += "," }
        element.writeCanonical(into: &out)
      }
      out += "]"
    case .object(let o):
      out += "{"
      let keys = o.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (i, key) in keys.enumerated() {
        if i > 0 { out += "," }
        Self.writeJSONString(key, into: &out)
        out += ":"
        o[key]!.writeCanonical(into: &out)
      }
      out += "}"
    }
  }

  static func canonicalNumber(_ d: Double) -> String {
    if d.isNaN { return "\"NaN\"" }
    if d.isInfinite { return d < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
    if d.rounded() == d, abs(d) < 0x1p63 { return String(Int(d)) }
    return d.description
  }

  static func writeJSONString(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lower-case hex SHA-256 of a string's UTF-8 bytes.
public func sha256Hex(_ text: String) -> String {
  let digest = SHA256.hash(data: Data(text.utf8))
  var bytes = [UInt8]()
  bytes.reserveCapacity(64)
  for byte in digest {
    bytes.append(hexDigits[Int(byte >> 4)])
    bytes.append(hexDigits[Int(byte & 0x0F)])
  }
  return String(decoding: bytes, as: UTF8.self)
}
