import Foundation
import Spec
import Testing

@testable import Report

/// The committed table specs load, name real paper tables, rows and columns, default to the small world with at
/// least three seeds, and turn into a report (all holes before anything ran).
@Suite struct ExperimentSpecsTests {
  static let experiments = EmbeddedCopiesTests.root.appendingPathComponent("experiments")
  static let tables = [
    "table1-vcr", "table2-vqa", "table3-refcoco", "table4-ablation", "architectures", "visualbert-ablations",
    "table4-ablation-v3", "table1-vcr-v3", "table2-vqa-v3", "table3-refcoco-v3", "architectures-v3",
    "visualbert-ablations-v3",
  ]

  @Test(arguments: tables) func specIsReadyToRun(name: String) throws {
    let path = Self.experiments.appendingPathComponent("\(name).yaml").path
    let spec = try ExperimentSpec.load(path: path)
    #expect(spec.trainer == .builtin("vlbert"))
    #expect(spec.baseline[path: "world.scale"] == .string("small"))
    #expect(spec.seeds.count >= 3)
    let section = try #require(spec.report)
    #expect(PaperTables.embedded().check(section, file: path).map(\.description) == [])
    let smoke = try ExperimentSpec.load(path: path, overrides: ["world.scale=smoke"])
    let cells = smoke.cells(trainerIdentity: "vlbert@test")
    #expect(cells.allSatisfy { $0.config[path: "world.scale"] == .string("smoke") })
    let report = try Report.build(
      spec: smoke, cells: cells, store: nil, paper: .embedded(), command: "ablate report \(name).yaml")
    #expect(report.table.rows.filter { $0.kind == .measured }.count == smoke.variants.count)
    #expect(try report.markdown().contains("**hole**: 3 not run"))
  }

  @Test func table4RowsCarryThePapersNumbersAndChain() throws {
    let spec = try ExperimentSpec.load(
      path: Self.experiments.appendingPathComponent("table4-ablation.yaml").path)
    let report = try Report.build(
      spec: spec, cells: spec.cells(trainerIdentity: "t"), store: nil, paper: .embedded(), command: "")
    #expect(
      report.table.rows.map(\.label) == ["w/o pre-training", "(a)", "(b)", "(c)", "(d)", "VL-BERT-BASE"])
    #expect(report.table.rows[3].cells["vqa/test"]?.paper == 70.3)
    #expect(report.findings.count == 5 * 4)
    #expect(report.findings.allSatisfy { $0.verdict == .notMeasured })
  }
}
