import Primitives

/// One line of the `ABLATE_METRICS` protocol, both ends of it: `decode` reads what any trainer wrote,
/// `encoded` writes what the built-in trainers log.
///
/// A trainer is untrusted input, so the reader is total: bounded line length and nesting, every number
/// range-checked, and any line it cannot take is a `MetricsLineProblem`, never a trap. `NaN`, `Infinity` and
/// `-Infinity` (as Python's json writes them, bare or quoted) are numbers; non-numeric fields are ignored.
public struct MetricsLine: Sendable, Equatable {
  /// Longer lines are skipped unread (a runaway trainer cannot make the runner buffer without bound).
  public static let maxBytes = 64 * 1024
  /// Deeper nesting is rejected (the parser recurses once per level).
  public static let maxDepth = 32
  /// Steps are integers a Double holds exactly (±2^53).
  public static let maxStep = 1 << 53

  public var step: Int?
  public var values: [(name: String, value: Double)]

  public init(step: Int?, values: [(name: String, value: Double)]) {
    self.step = step
    self.values = values
  }

  public static func == (a: MetricsLine, b: MetricsLine) -> Bool {
    a.step == b.step && a.values.map(\.name) == b.values.map(\.name)
      && zip(a.values, b.values).allSatisfy { $0.value == $1.value || ($0.value.isNaN && $1.value.isNaN) }
  }

  /// Parses one line; nil when it is not a metrics line.
  public static func parse(_ line: Substring) -> MetricsLine? {
    try? decode(Array(line.utf8)[...])
  }

  /// Reads one line (without its newline).
  public static func decode(_ bytes: ArraySlice<UInt8>) throws(MetricsLineProblem) -> MetricsLine {
    guard bytes.count <= maxBytes else { throw MetricsLineProblem("longer than \(maxBytes) bytes") }
    var parser = Parser(bytes: bytes)
    guard case .object(let fields) = try parser.value(depth: 0) else {
      throw MetricsLineProblem("not a JSON object")
    }
    parser.skipSpace()
    guard parser.i == bytes.endIndex else { throw MetricsLineProblem("text after the object") }
    var result = MetricsLine(step: nil, values: [])
    for (key, value) in fields {
      if key == "step" {
        guard case .number(let n) = value, n.isFinite, n == n.rounded(), abs(n) <= Double(maxStep) else {
          throw MetricsLineProblem("step is not an integer within ±2^53")
        }
        result.step = Int(n)
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

  /// The line as the reader takes it back, without the newline: keys sorted, `step` first.
  public func encoded() -> String {
    var fields: [String] = []
    if let step { fields.append("\"step\":\(step)") }
    for (name, value) in values {
      fields.append("\(JSONString.quoted(name)):\(Self.number(value))")
    }
    return "{" + fields.joined(separator: ",") + "}"
  }

  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    return "\(value)"
  }

  /// A JSON string literal (the one form every ablate writer uses).

  enum Value {
    case number(Double), string(String), other
    case object([(String, Value)])
  }

  /// A recursive-descent JSON reader whose recursion is bounded by `maxDepth`.
  struct Parser {
    let bytes: ArraySlice<UInt8>
    var i: Int

    init(bytes: ArraySlice<UInt8>) {
      self.bytes = bytes
      i = bytes.startIndex
    }

    var peek: UInt8? { i < bytes.endIndex ? bytes[i] : nil }

    mutating func skipSpace() {
      while let b = peek, b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { i += 1 }
    }

    mutating func literal(_ word: StaticString) -> Bool {
      let n = word.utf8CodeUnitCount
      guard bytes.endIndex - i >= n else { return false }
      let matches = word.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[i + $0] == w[$0] } }
      if matches { i += n }
      return matches
    }

    mutating func expect(_ byte: Character) throws(MetricsLineProblem) {
      skipSpace()
      guard peek == byte.asciiValue else { throw MetricsLineProblem("expected '\(byte)' at byte \(i)") }
      i += 1
    }

    mutating func value(depth: Int) throws(MetricsLineProblem) -> Value {
      guard depth < MetricsLine.maxDepth else {
        throw MetricsLineProblem("nested deeper than \(MetricsLine.maxDepth)")
      }
      skipSpace()
      guard let b = peek else { throw MetricsLineProblem("unexpected end of line") }
      switch b {
      case UInt8(ascii: "{"):
        i += 1
        var fields: [(String, Value)] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
          i += 1
          return .object(fields)
        }
        while true {
          skipSpace()
          let key = try string()
          try expect(":")
          fields.append((key, try value(depth: depth + 1)))
          skipSpace()
          if peek == UInt8(ascii: ",") {
            i += 1
            continue
          }
          try expect("}")
          return .object(fields)
        }
      case UInt8(ascii: "["):
        i += 1
        skipSpace()
        if peek == UInt8(ascii: "]") {
          i += 1
          return .other
        }
        while true {
          _ = try value(depth: depth + 1)
          skipSpace()
          if peek == UInt8(ascii: ",") {
            i += 1
            continue
          }
          try expect("]")
          return .other
        }
      case UInt8(ascii: "\""):
        return .string(try string())
      default:
        if literal("true") || literal("false") || literal("null") { return .other }
        if literal("NaN") { return .number(.nan) }
        if literal("Infinity") { return .number(.infinity) }
        if literal("-Infinity") { return .number(-.infinity) }
        return .number(try number())
      }
    }

    /// A JSON number; one too large for a Double is a problem, not an infinity (that would read as divergence).
    mutating func number() throws(MetricsLineProblem) -> Double {
      let start = i
      while let b = peek,
        b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
          || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || (b >= 0x30 && b <= 0x39)
      {
        i += 1
      }
      guard i > start, i - start <= 64 else { throw MetricsLineProblem("bad number at byte \(start)") }
      let text = String(decoding: bytes[start..<i], as: UTF8.self)
      guard let n = Double(text) else { throw MetricsLineProblem("bad number '\(text)'") }
      guard n.isFinite else { throw MetricsLineProblem("number \(text) is out of range") }
      return n
    }

    mutating func string() throws(MetricsLineProblem) -> String {
      guard peek == UInt8(ascii: "\"") else { throw MetricsLineProblem("expected a string at byte \(i)") }
      i += 1
      var out: [UInt8] = []
      while let b = peek {
        i += 1
        if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
        guard b == UInt8(ascii: "\\") else {
          out.append(b)
          continue
        }
        guard let e = peek else { break }
        i += 1
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
          guard bytes.endIndex - i >= 4,
            let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
          else { throw MetricsLineProblem("bad \\u escape at byte \(i)") }
          i += 4
          out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
        default: out.append(e)
        }
      }
      throw MetricsLineProblem("unterminated string")
    }
  }
}

/// Why a metrics line was skipped; counted and reported once in the cell's record.
public struct MetricsLineProblem: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
