import Foundation
import Testing

@testable import Report

/// A fixed table with every case a report must handle: significant best, a tie, holes, reference-only rows.
func fixtureTable() -> ReportTable {
  let columns = [
    ReportTable.Column(key: "q2a", label: "Q→A"),
    ReportTable.Column(key: "vqa", label: "VQA test-dev", decimals: 2),
  ]
  return ReportTable(
    title: "Table 1: VCR and VQA", caption: "Synthetic world, small scale.", columns: columns,
    rows: [
      .init(label: "R2C", kind: .referenceOnly, cells: ["q2a": .init(paper: 63.8)]),
      .init(
        label: "VL-BERT-BASE w/o pre-training", expected: 3,
        cells: [
          "q2a": .init(measured: Summary([61.0, 62.0, 61.5]), paper: 73.1),
          "vqa": .init(measured: Summary([50.0, 52.0, 51.0]), paper: 69.58),
        ]),
      .init(
        label: "VL-BERT-BASE", expected: 3,
        cells: [
          "q2a": .init(measured: Summary([66.0, 66.5, 67.0]), paper: 73.8),
          "vqa": .init(measured: Summary([50.5, 53.0]), missing: ["failed"], paper: 71.16),
        ]),
      .init(
        label: "VL-BERT-LARGE", expected: 3,
        cells: [
          "q2a": .init(missing: ["pending", "pending", "running"], paper: 75.5),
          "vqa": .init(missing: ["diverged", "pending", "pending"], paper: 71.79),
        ]),
    ])
}

@Suite struct RenderingTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Golden")

  /// Compares with a checked-in file; `ABLATE_UPDATE_GOLDEN=1` rewrites it (then review the diff).
  func expectGolden(_ text: String, _ name: String) throws {
    let url = Self.golden.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["ABLATE_UPDATE_GOLDEN"] == "1" {
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "rendering differs from \(name)")
  }

  @Test func markdownMatchesGolden() throws {
    try expectGolden(fixtureTable().markdown(), "table1.md")
  }

  @Test func latexMatchesGolden() throws {
    try expectGolden(fixtureTable().latex(), "table1.tex")
  }

  @Test func holesAreVisibleWithTheirStates() {
    let md = fixtureTable().markdown()
    #expect(md.contains("**hole**: 2 pending, 1 running"))
    #expect(md.contains("**hole**: 2 pending, 1 diverged"))
    #expect(md.contains("52.0 (n=1)") == false)
    #expect(md.contains("51.75 ± 1.77 (1 failed)"))
  }

  @Test func boldOnlyWhenSignificant() {
    let table = fixtureTable()
    // Q->A: 66.5 vs 61.5 with tiny spread: significant.
    #expect(table.significantBest(in: table.columns[0]) == 2)
    // VQA: 51.75 +- 1.77 (n=2) vs 51.0 +- 1.0: not separable.
    #expect(table.significantBest(in: table.columns[1]) == nil)
    #expect(table.markdown().contains("**66.5 ± 0.5**"))
  }

  @Test func reportChangesWhenAMetricChanges() {
    var table = fixtureTable()
    let before = table.markdown()
    table.rows[1].cells["q2a"]?.measured = Summary([61.0, 62.0, 63.0])
    #expect(table.markdown() != before)
    #expect(table.markdown().contains("62.0 ± 1.0"))
  }

  @Test func ablationVerdicts() {
    let up = Finding.compare(
      row: "(a)", parent: "w/o", column: "vqa", ours: Summary([52, 53, 54]),
      oursParent: Summary([50, 51, 52]), paper: 71.0, paperParent: 69.5)
    #expect(up.verdict == .agrees)
    #expect(up.ours == 2)
    let down = Finding.compare(
      row: "(c)", parent: "(b)", column: "vqa", ours: Summary([55, 55.5]), oursParent: Summary([52, 52.5]),
      paper: 70.3, paperParent: 71.1)
    #expect(down.verdict == .disagrees)
    // +1 with a standard error of 0.71: no direction measured, so the paper's -0.8 did not reproduce.
    let noisy = Finding.compare(
      row: "(c)", parent: "(b)", column: "vqa", ours: Summary([53, 54]), oursParent: Summary([52, 53]),
      paper: 70.3, paperParent: 71.1)
    #expect(noisy.verdict == .withinNoise)
    let zero = Finding.compare(
      row: "(c)", parent: "(b)", column: "vqa", ours: Summary([53]), oursParent: Summary([53]),
      paper: 70.3, paperParent: 71.1)
    #expect(zero.verdict == .withinNoise)
    let flat = Finding.compare(
      row: "(a)", parent: "w/o", column: "q2a", ours: Summary([1, 2]), oursParent: Summary([0, 1]),
      paper: 72.9, paperParent: 72.9)
    #expect(flat.verdict == .paperFlat)
    let hole = Finding.compare(
      row: "(a)", parent: "w/o", column: "q2a", ours: Summary([]), oursParent: Summary([0, 1]),
      paper: 73.0, paperParent: 72.9)
    #expect(hole.verdict == .notMeasured)
    let single = Finding.compare(
      row: "(a)", parent: "w/o", column: "vqa", ours: Summary([60]), oursParent: Summary([50]),
      paper: 71.0, paperParent: 69.5)
    #expect(single.verdict == .oneSeed)  // +10 from one seed a row is not evidence either way
  }

  /// A spec's own ablation, with no paper to compare with: only our change is judged, against its noise.
  @Test func ablationVerdictsWithoutAPaper() {
    func verdict(_ a: [Double], _ b: [Double]) -> Finding.Verdict {
      Finding.compare(
        row: "x", parent: "y", column: "m", ours: Summary(a), oursParent: Summary(b), paper: nil,
        paperParent: nil, againstPaper: false
      ).verdict
    }
    #expect(verdict([55, 55.5], [52, 52.5]) == .higher)
    #expect(verdict([52, 52.5], [55, 55.5]) == .lower)
    #expect(verdict([53, 54], [52, 53]) == .noChange)  // +1 +- 0.71
    #expect(verdict([53], [52]) == .oneSeed)  // one seed: no spread to judge by
  }

  @Test func tableWithoutAPaperDrawsNoPaperColumns() throws {
    var table = fixtureTable()
    table.rows.removeFirst()  // the reference-only row
    table.hasPaper = false
    let markdown = table.markdown()
    #expect(!markdown.contains("paper"))
    #expect(markdown.contains("| Model | n | Q→A | VQA test-dev |"))
    #expect(!table.latex().contains("ours & paper"))
  }
}
