/// YAML 1.2 core-schema scalars, resolved by hand (no regular expressions: specs are read often).
enum ScalarResolver {
  static func resolvePlain(_ text: String) -> ConfigValue {
    if isNull(text) { return .null }
    if let b = bool(text) { return .bool(b) }
    if let i = integer(text) { return .int(i) }
    if let d = float(text) { return .double(d) }
    return .string(text)
  }

  static func isNull(_ text: String) -> Bool {
    text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
  }

  static func bool(_ text: String) -> Bool? {
    switch text {
    case "true", "True", "TRUE": true
    case "false", "False", "FALSE": false
    default: nil
    }
  }

  /// Decimal (with optional `_` separators), `0x`, `0o` and `0b` integers that fit in `Int`.
  static func integer(_ text: String) -> Int? {
    var body = Substring(text)
    var negative = false
    if let sign = body.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      body = body.dropFirst()
    }
    var radix = 10
    for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where body.hasPrefix(prefix) {
      radix = r
      body = body.dropFirst(2)
    }
    guard let first = body.first, first != "_" else { return nil }
    let digits = body.filter { $0 != "_" }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
      let magnitude = UInt(digits, radix: radix)
    else { return nil }
    if negative {
      guard magnitude <= UInt(Int.max) + 1 else { return nil }
      return magnitude == UInt(Int.max) + 1 ? Int.min : -Int(magnitude)
    }
    guard magnitude <= UInt(Int.max) else { return nil }
    return Int(magnitude)
  }

  /// Decimal floats (`1.5`, `.5`, `1e-4`, `1_000.0`), `.inf`, `-.inf` and `.nan`; and integers too large for `Int`.
  static func float(_ text: String) -> Double? {
    switch text {
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
    case "-.inf", "-.Inf", "-.INF": return -.infinity
    case ".nan", ".NaN", ".NAN": return .nan
    default: break
    }
    let scalars = Array(text.unicodeScalars)
    var sawDigit = false
    for (i, ch) in scalars.enumerated() {
      switch ch {
      case "0"..."9": sawDigit = true
      case ".", "e", "E", "_": break
      case "+", "-": guard i == 0 || scalars[i - 1] == "e" || scalars[i - 1] == "E" else { return nil }
      default: return nil
      }
    }
    guard sawDigit, let first = text.first, first != "_", first != "e", first != "E" else { return nil }
    return Double(text.filter { $0 != "_" })
  }
}
