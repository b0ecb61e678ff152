import Foundation
import Spec
import Testing

/// Every paper-table spec in `experiments/` runs and reports through the real CLI at `smoke` scale with one
/// seed, all in one store so that shared stages (world, BERT-init, pre-training) run once.
@Suite(.serialized) struct TableSpecsTests {
  static let experiments = ExampleSpecTests.experiments
  static let tables = [
    "table1-vcr", "table2-vqa", "table3-refcoco", "table4-ablation", "architectures", "visualbert-ablations",
  ]
  static let quick = ["--set", "world.scale=smoke", "--set", "seeds=[1]"]

  @Test func everyTableRunsAndReportsAtSmokeScale() throws {
    let cli = try CLI()
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.experiments.path)
    for name in names where name.hasSuffix(".yaml") {
      try FileManager.default.copyItem(
        at: Self.experiments.appendingPathComponent(name), to: cli.directory.url.appendingPathComponent(name))
    }
    for table in Self.tables {
      let spec = try ExperimentSpec.load(
        path: cli.root + "/\(table).yaml", overrides: ["world.scale=smoke", "seeds=[1]"])
      let report = try #require(spec.report, "\(table) has no report section")
      let run = try cli.run(["run", "\(table).yaml", "--jobs", "2"] + Self.quick)
      #expect(run.status == 0, "\(table): \(run.stderr)")

      let md = try cli.run(["report", "\(table).yaml", "--out", "reports/\(table).md"] + Self.quick)
      #expect(md.status == 0, "\(table): \(md.stderr)")
      let text = cli.read("reports/\(table).md")
      // Every measured row is there with n = 1 of 1 and no hole; the paper's columns are filled for its rows.
      for row in report.rows {
        #expect(text.contains("| \(row.label) | 1/1 |"), "\(table): row \(row.label)")
      }
      #expect(!text.contains("**hole**: "), "\(table) has holes")
      for row in report.referenceOnly {
        #expect(text.contains(row.name), "\(table): reference row \(row.name)")
      }
      if !report.referenceOnly.isEmpty { #expect(text.contains("*(paper only)*")) }
      #expect(text.contains("### Provenance") && text.contains("Working tree"))
      // Every linked plot exists and is an SVG document.
      let plots = text.components(separatedBy: "](").dropFirst().compactMap { $0.split(separator: ")").first }
        .filter { $0.hasSuffix(".svg") }
      #expect(!plots.isEmpty, "\(table) links no plots")
      for plot in plots {
        let svg = cli.read("reports/\(plot)")
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"), "\(table): \(plot) is not SVG")
      }
      let latex = try cli.run(["report", "\(table).yaml", "--format", "latex"] + Self.quick)
      #expect(
        latex.status == 0 && latex.stdout.contains("\\toprule") && latex.stdout.contains("\\bottomrule"))
    }
    // The ablation table states its verdicts; shared stages were reused across tables.
    #expect(cli.read("reports/table4-ablation.md").contains("of the paper's findings reproduced"))
    let stages = try FileManager.default.contentsOfDirectory(atPath: cli.root + "/.ablate/stages")
    #expect(stages.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".lock") }.count > 0)
  }

  @Test func missingCellsAreHolesAndABadTrainerConfigIsOneLine() throws {
    let cli = try CLI()
    try FileManager.default.copyItem(
      at: Self.experiments.appendingPathComponent("vlbert-base.yaml"),
      to: cli.directory.url.appendingPathComponent("vlbert-base.yaml"))
    try FileManager.default.copyItem(
      at: Self.experiments.appendingPathComponent("table2-vqa.yaml"),
      to: cli.directory.url.appendingPathComponent("table2-vqa.yaml"))
    // Run one row; a learning rate the trainer rejects stops before anything runs; the other rows are holes.
    let ok = try cli.run(["run", "table2-vqa.yaml", "--only", "no-pretrain"] + Self.quick)
    #expect(ok.status == 0, "\(ok.stderr)")
    let bad = try cli.run(
      ["run", "table2-vqa.yaml", "--only", "baseline", "--set", "train.finetune_lr=-1"] + Self.quick)
    #expect(bad.status == 2, "a config the trainer rejects is a usage error: \(bad.stderr)")
    #expect(
      bad.stderr.contains("finetune_lr") && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    let md = try cli.run(["report", "table2-vqa.yaml"] + Self.quick)
    #expect(md.status == 0, "\(md.stderr)")
    #expect(md.stdout.contains("| VL-BERT-BASE w/o pre-training | 1/1 |"))
    #expect(md.stdout.contains("| VL-BERT-BASE | 0/1 | **hole**: 1 not run"))
    #expect(md.stdout.contains("| VL-BERT-LARGE | 0/1 | **hole**: 1 not run"))
  }
}
