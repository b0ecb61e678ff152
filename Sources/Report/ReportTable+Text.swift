import Foundation

/// The words and numbers of a table, shared by every renderer so they cannot disagree.
extension ReportTable.Entry {
  /// "73.2 ± 0.8", "71.0 (n=1)", or nil when nothing was measured.
  func measuredText(decimals: Int, plusMinus: String = "±") -> String? {
    guard let mean = measured.mean else { return nil }
    let m = mean.formatted(decimals)
    guard let std = measured.std else { return "\(m) (n=1)" }
    return "\(m) \(plusMinus) \(std.formatted(decimals))"
  }

  /// "2 failed, 1 pending": why cells are missing, most common state first; nil when none is.
  var missingText: String? {
    guard !missing.isEmpty else { return nil }
    let counts = Dictionary(grouping: missing, by: { $0 }).mapValues(\.count)
    return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
      .map { "\($0.value) \($0.key)" }
      .joined(separator: ", ")
  }
}

extension Double {
  func formatted(_ decimals: Int) -> String {
    String(format: "%.\(decimals)f", self)
  }
}

extension ReportTable.Row {
  /// Seeds that gave a value in every column, of those requested: "3/3".
  func completeness(columns: [ReportTable.Column]) -> String {
    let n = columns.map { cells[$0.key]?.measured.n ?? 0 }.min() ?? 0
    return "\(n)/\(expected)"
  }
}
