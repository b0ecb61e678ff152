/// The width a label takes when drawn, from DejaVu Sans's advance widths (the sans-serif a Linux browser
/// falls back to, and wider than Helvetica or Arial), so legends and margins are sized to their text.
enum TextWidth {
  /// Advance widths in thousandths of an em, for printable ASCII from space (0x20) to tilde (0x7E).
  private static let ascii: [Int] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,  // space ... /
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,  // 0 ... ?
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,  // @ ... O
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,  // P ... _
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,  // ` ... o
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,  // p ... ~
  ]

  /// Width in pixels of `text` at `fontSize` pixels; characters outside ASCII count as wide ones.
  static func of(_ text: String, fontSize: Double) -> Double {
    var thousandths = 0
    for scalar in text.unicodeScalars {
      let v = Int(scalar.value)
      thousandths += (0x20...0x7E).contains(v) ? ascii[v - 0x20] : 800
    }
    return Double(thousandths) / 1000 * fontSize
  }
}
