/// Reads the `ABLATE_METRICS` JSON lines, leniently: `NaN`, `Infinity` and `-Infinity` (as Python's json writes
/// them, bare or quoted) are numbers, non-numeric fields are ignored, a torn last line is skipped.
public struct MetricsLine: Sendable, Equatable {
  public var step: Int?
  public var values: [(name: String, value: Double)]

  public static func == (a: MetricsLine, b: MetricsLine) -> Bool {
    a.step == b.step && a.values.map(\.name) == b.values.map(\.name)
      && zip(a.values, b.values).allSatisfy { $0.value == $1.value || ($0.value.isNaN && $1.value.isNaN) }
  }

  /// Parses one line; nil when it is not a JSON object.
  public static func parse(_ line: Substring) -> MetricsLine? {
    var parser = Parser(bytes: Array(line.utf8))
    guard case .object(let fields)? = parser.value(), parser.atEnd() else { return nil }
    var result = MetricsLine(step: nil, values: [])
    for (key, value) in fields {
      if key == "step" {
        if case .number(let n) = value, n.isFinite, n == n.rounded() { result.step = Int(n) }
        continue
      }
      switch value {
      case .number(let n): result.values.append((key, n))
      case .string(let s):
        switch s {
        case "NaN", "nan": result.values.append((key, .nan))
        case "Infinity", "inf": result.values.append((key, .infinity))
        case "-Infinity", "-inf": result.values.append((key, -.infinity))
        default: break
        }
      default: break
      }
    }
    return result
  }

  enum Value {
    case number(Double), string(String), other
    case object([(String, Value)])
  }

  struct Parser {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A {
        i += 1
      }
    }

    mutating func atEnd() -> Bool {
      skipSpace()
      return i == bytes.count
    }

    mutating func literal(_ word: String) -> Bool {
      let w = Array(word.utf8)
      guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return false }
      i += w.count
      return true
    }

    mutating func value() -> Value? {
      skipSpace()
      guard i < bytes.count else { return nil }
      switch bytes[i] {
      case UInt8(ascii: "{"):
        i += 1
        var fields: [(String, Value)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
          i += 1
          return .object(fields)
        }
        while true {
          skipSpace()
          guard let key = string() else { return nil }
          skipSpace()
          guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
          i += 1
          guard let v = value() else { return nil }
          fields.append((key, v))
          skipSpace()
          guard i < bytes.count else { return nil }
          if bytes[i] == UInt8(ascii: ",") {
            i += 1
            continue
          }
          if bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(fields)
          }
          return nil
        }
      case UInt8(ascii: "["):
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
          i += 1
          return .other
        }
        while true {
          guard value() != nil else { return nil }
          skipSpace()
          guard i < bytes.count else { return nil }
          if bytes[i] == UInt8(ascii: ",") {
            i += 1
            continue
          }
          if bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .other
          }
          return nil
        }
      case UInt8(ascii: "\""):
        return string().map(Value.string)
      default:
        if literal("true") || literal("false") || literal("null") { return .other }
        if literal("NaN") { return .number(.nan) }
        if literal("Infinity") { return .number(.infinity) }
        if literal("-Infinity") { return .number(-.infinity) }
        let start = i
        while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
        guard i > start, let n = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { return nil }
        return .number(n)
      }
    }

    mutating func string() -> String? {
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
      i += 1
      var out: [UInt8] = []
      while i < bytes.count {
        let b = bytes[i]
        i += 1
        if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
        if b == UInt8(ascii: "\\") {
          guard i < bytes.count else { return nil }
          let e = bytes[i]
          i += 1
          switch e {
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "u"):
            guard i + 4 <= bytes.count,
              let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
            else { return nil }
            i += 4
            out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "?").utf8))
          default: out.append(e)
          }
        } else {
          out.append(b)
        }
      }
      return nil
    }
  }
}
