extension ReportTable {
  /// The row that is best in `column` and significantly better than the runner-up (Welch, p < alpha).
  ///
  /// Returns nil when the top two are not separable: bold in a report is a claim, not a ranking.
  public func significantBest(in column: Column, alpha: Double = 0.05) -> Int? {
    let ranked = rows.indices
      .filter { rows[$0].kind == .measured }
      .compactMap { i -> (Int, Summary)? in
        guard let s = rows[i].cells[column.key]?.measured, s.mean != nil else { return nil }
        return (i, s)
      }
      .sorted { a, b in
        column.higherIsBetter ? a.1.mean! > b.1.mean! : a.1.mean! < b.1.mean!
      }
    guard ranked.count >= 2 else { return nil }
    guard let test = WelchTest(ranked[0].1, ranked[1].1), test.p < alpha else { return nil }
    return ranked[0].0
  }
}
