import Foundation

extension String {
  /// The text as one CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or newline.
  public var csvField: String {
    guard contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return self }
    return "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
