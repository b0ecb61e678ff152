import Foundation
import Spec
import Store
import TestSupport
import Testing
import TrainerProtocol

@testable import Report

/// A spec with a `report:` section over the paper's Table 4, a store filled by hand, and the report built from it.
struct StoreFixture {
  static let yaml = """
    name: mini-ablation
    trainer: {command: [/bin/true]}
    baseline: {pretrain: {enabled: false, mlm: false, mrc: false}}
    variants:
      - {name: no-pretrain}
      - {name: a-mlm, set: {pretrain.enabled: true, pretrain.mlm: true}}
      - {name: b-more, set: {pretrain.enabled: true, pretrain.mlm: true, pretrain.mrc: true}}
    seeds: [1, 2, 3]
    report:
      title: "Mini ablation"
      paper: vlbert.table4_ablation
      columns:
        - {metric: vcr/q2a_val, paper: vcr_q2a_val, label: "VCR Q→A val"}
        - {metric: vqa/test, paper: vqa_test_dev, label: "VQA test-dev", decimals: 2}
      rows:
        no-pretrain: "w/o pre-training"
        a-mlm: "(a)"
        b-more: "(b)"
      ablation: {a-mlm: no-pretrain, b-more: a-mlm}
    """

  let directory: TemporaryDirectory
  let store: Store
  let spec: ExperimentSpec
  let cells: [Cell]

  /// `values[variant]` = per-seed (q2a, vqa); a nil entry leaves that seed's cell in `states[variant]` instead.
  init(yaml: String = StoreFixture.yaml, overrides: [String] = []) throws {
    directory = try TemporaryDirectory("report-test")
    store = try Store(path: directory.url.appendingPathComponent("ablate.db").path)
    spec = try ExperimentSpec.parse(yaml: yaml, file: "mini.yaml", overrides: overrides)
    cells = spec.cells(trainerIdentity: "test-trainer")
    try store.register(
      cells.map {
        NewCell(
          id: $0.id, experiment: $0.experiment, variant: $0.variant,
          gridPointJSON: ConfigValue.object($0.gridPoint).canonicalJSON,
          seed: $0.seed, configJSON: $0.config.canonicalJSON, configHash: $0.configHash,
          trainer: "test-trainer")
      })
  }

  func cell(_ variant: String, seed: Int) -> Cell {
    cells.first { $0.variant == variant && $0.seed == seed }!
  }

  /// Runs one cell to `status` with the given final metrics.
  func finish(
    _ variant: String, seed: Int, status: CellStatus = .done, metrics: [String: Double], duration: Double = 2
  )
    throws
  {
    let id = cell(variant, seed: seed).id
    let provenance = try store.recordProvenance(
      json:
        #"{"blas":{"config":"OpenBLAS test","threads":1},"git":{"commit":"abc123def4567890","dirty":false}}"#,
      hash: "p1", diff: nil)
    guard
      case .claimed(let attempt) = try store.claim(
        cellID: id, owner: "t", leaseSeconds: 60, retryFailed: true, provenanceID: provenance,
        outputDir: { "/tmp/x\($0)" })
    else { Issue.record("claim failed"); return }
    _ = try store.finish(
      cellID: id, owner: "t", attempt: attempt,
      result: AttemptResult(
        status: status, exitCode: status == .done ? 0 : 1, errorText: nil, endedAt: 100, duration: duration,
        points: [
          MetricPoint(name: "vcr/loss", step: 1, value: 2.0, time: 1),
          MetricPoint(name: "vcr/loss", step: 2, value: Double(seed), time: 2),
        ],
        finals: metrics.map { FinalMetric(name: $0.key, value: $0.value, step: nil) }, artifacts: []))
  }

  /// The standard fill: every cell done except no-pretrain seed 3 (failed) and b-more seed 3 (never run).
  func fillStandard() throws {
    let q2a: [String: [Double]] = [
      "no-pretrain": [60, 61, 0], "a-mlm": [64, 65, 66], "b-more": [64.5, 66.5, 0],
    ]
    let vqa: [String: [Double]] = [
      "no-pretrain": [50, 51, 0], "a-mlm": [55, 56, 57], "b-more": [54, 55, 0],
    ]
    for variant in ["no-pretrain", "a-mlm", "b-more"] {
      for seed in 1...3 {
        if variant == "b-more" && seed == 3 { continue }
        let failed = variant == "no-pretrain" && seed == 3
        try finish(
          variant, seed: seed, status: failed ? .failed : .done,
          metrics: failed
            ? [:] : ["vcr/q2a_val": q2a[variant]![seed - 1], "vqa/test": vqa[variant]![seed - 1]])
      }
    }
  }

  func report(curves: Bool = false) throws -> Report {
    try Report.build(
      spec: spec, cells: cells, store: store, paper: .embedded(), command: "ablate report mini.yaml",
      curves: curves)
  }
}

@Suite struct ReportBuildTests {
  @Test func summarizesDoneCellsAndKeepsHolesOut() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let report = try fixture.report()
    let rows = report.table.rows
    #expect(rows.map(\.label) == ["w/o pre-training", "(a)", "(b)"])
    let base = rows[0].cells["vcr/q2a_val"]!
    #expect(base.measured.values == [60, 61])
    #expect(base.missing == ["failed"])
    #expect(base.paper == 72.9)
    let b = rows[2].cells["vqa/test"]!
    #expect(b.measured.values == [54, 55])
    #expect(b.missing == ["pending"])
    #expect(b.paper == 71.1)
    #expect(rows.allSatisfy { $0.expected == 3 })
  }

  @Test func findingsCompareDirectionsWithThePaper() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let findings = try fixture.report().findings
    #expect(findings.count == 4)
    // (a) vs w/o pre-training, Q→A: ours +4.5, paper 72.9 -> 72.9 (flat).
    #expect(findings[0].verdict == .paperFlat)
    // (a) vs w/o, VQA: ours +5.5, paper +1.5: reproduced.
    #expect(findings[1].verdict == .agrees)
    #expect(abs(findings[1].ours! - 5.5) < 1e-9)
    // (b) vs (a), VQA: ours -1.5, paper +0.1 (flat at tie 0.15).
    #expect(findings[3].verdict == .paperFlat)
    #expect(
      try fixture.report().findingsSummary
        == "1 of 1 of the paper's findings reproduced in direction (not counted: 3 where the paper shows no change)"
    )
  }

  @Test func theFooterNamesTheTrainersSettingsThatTheCellsSet() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let bookkeeping = TrainerBookkeeping(
      footer: .init(
        label: "Pre-training",
        settings: [
          .init(name: "enabled", path: "pretrain.enabled"), .init(name: "world", path: "world.version"),
          .init(name: "mlm", path: "pretrain.mlm"),
        ]))
    let report = try Report.build(
      spec: fixture.spec, cells: fixture.cells, store: fixture.store, paper: .embedded(),
      command: "ablate report mini.yaml", bookkeeping: bookkeeping)
    #expect(report.footer.settings.contains("Pre-training: enabled false, true, mlm false, true"))
  }

  @Test func theFooterCutsCommitIdsButNotTheSentenceForRunsOutsideGit() {
    let footer = Report.Footer(commits: ["abc123def4567890abc123def4567890abc12345", "not a git repository"])
    #expect(footer.lines[0] == "Code: abc123def456, not a git repository")
  }

  @Test func aColumnWithFindingsFalseIsShownButNotJudged() throws {
    let yaml = StoreFixture.yaml.replacingOccurrences(
      of: #"label: "VQA test-dev", decimals: 2}"#,
      with: #"label: "VQA test-dev", decimals: 2, findings: false}"#)
    let fixture = try StoreFixture(yaml: yaml)
    try fixture.fillStandard()
    let report = try fixture.report()
    #expect(report.findings.count == 2)
    #expect(report.findings.allSatisfy { $0.column == "VCR Q→A val" })
    #expect(report.table.rows[1].cells["vqa/test"]!.measured.values == [55, 56, 57])
  }

  @Test func aColumnsFindingsMustBeABoolean() {
    let yaml = StoreFixture.yaml.replacingOccurrences(
      of: #"decimals: 2}"#, with: #"decimals: 2, findings: no-thanks}"#)
    do {
      _ = try ExperimentSpec.parse(yaml: yaml, file: "mini.yaml")
      Issue.record("a non-boolean 'findings' was accepted")
    } catch {
      #expect("\(error)".contains("true or false for 'findings'"))
    }
  }

  @Test func reportChangesWhenACellMetricChanges() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let before = try fixture.report().markdown()
    try fixture.finish("b-more", seed: 3, metrics: ["vcr/q2a_val": 68, "vqa/test": 56])
    let after = try fixture.report().markdown()
    #expect(before != after)
    #expect(before.contains("| (b) | 2/3 | 65.5 ± 1.4 (1 pending) |"))
    #expect(after.contains("| (b) | 3/3 | 66.3 ± 1.8 |"))
  }

  @Test func emptyStoreShowsEveryCellAsAHole() throws {
    let fixture = try StoreFixture()
    let report = try Report.build(
      spec: fixture.spec, cells: fixture.cells, store: nil, paper: .embedded(),
      command: "ablate report mini.yaml")
    for row in report.table.rows {
      #expect(row.cells["vcr/q2a_val"]!.missing == ["not run", "not run", "not run"])
      #expect(row.cells["vcr/q2a_val"]!.measured.n == 0)
    }
    #expect(try report.markdown().contains("**hole**: 3 not run"))
  }

  @Test func footerCarriesProvenance() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let footer = try fixture.report().footer
    #expect(footer.commits == ["abc123def4567890"])
    #expect(footer.dirtyDiffs.isEmpty)
    #expect(footer.blas == ["OpenBLAS test, 1 threads"])
    #expect(footer.cellsDone == 7)
    #expect(footer.cellsExpected == 9)
    #expect(footer.computeSeconds == 14)
    #expect(footer.seeds == [1, 2, 3])
  }

  @Test func gridMakesARowPerVariantAndPoint() throws {
    let yaml = StoreFixture.yaml.replacingOccurrences(
      of: "seeds: [1, 2, 3]", with: "seeds: [1, 2, 3]\ngrid: {lr: [0.1, 0.2]}"
    )
    .replacingOccurrences(of: "baseline: {pretrain", with: "baseline: {lr: 0.1, pretrain")
    let fixture = try StoreFixture(yaml: yaml)
    let report = try fixture.report()
    #expect(report.table.rows.map(\.label).first == "w/o pre-training (lr=0.1)")
    #expect(report.table.rows.count == 6)
    #expect(report.findings.count == 8)
  }

  @Test func markdownAndLatexMatchGoldenFiles() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let report = try fixture.report()
    try RenderingTests().expectGolden(try report.markdown(), "mini-report.md")
    try RenderingTests().expectGolden(report.latex(), "mini-report.tex")
    try RenderingTests().expectGolden(report.csv(), "mini-report.csv")
  }

  @Test func curvesAndPlots() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let report = try fixture.report(curves: true)
    let plots = report.plots(prefix: "mini")
    #expect(plots.map(\.fileName) == ["mini-curve-vcr-loss.svg", "mini-ablation.svg"])
    #expect(plots[0].svg.hasPrefix("<svg"))
    #expect(plots[0].svg.contains("<polygon"))  // the band over seeds
    let markdown = try report.markdown(plots: plots.map { ($0.title, $0.fileName) })
    #expect(markdown.contains("![vcr/loss (mean ± std over seeds)](mini-curve-vcr-loss.svg)"))
  }

  @Test func customTemplateIsUsed() throws {
    let fixture = try StoreFixture()
    try fixture.fillStandard()
    let text = try fixture.report().markdown(template: "{{{title}}}:{{#rows}} {{{label}}}={{{n}}}{{/rows}}")
    #expect(text == "Mini ablation: w/o pre-training=2/3 (a)=3/3 (b)=2/3")
  }
}

@Suite struct TemplateErrorTests {
  @Test func brokenTemplateNamesLineAndColumn() throws {
    let fixture = try StoreFixture()
    #expect {
      _ = try fixture.report().markdown(template: "ok\n{{#rows}}{{{label}}}\n")
    } throws: { error in
      (error as? Report.TemplateError)?.description.hasPrefix("3:1: template does not parse") == true
    }
  }
}

@Suite struct EmbeddedCopiesTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func embeddedTemplateIsTheFile() throws {
    let file = try String(
      contentsOf: Self.root.appendingPathComponent("templates/report.md.mustache"), encoding: .utf8)
    #expect(Report.defaultMarkdownTemplate + "\n" == file)
  }

  @Test func embeddedPaperTablesAreTheFile() throws {
    let file = try String(
      contentsOf: Self.root.appendingPathComponent("reference/paper-tables.yaml"), encoding: .utf8)
    #expect(PaperTables.embeddedYAML + "\n" == file)
    let tables = PaperTables.embedded()
    #expect(tables.tables["vlbert.table4_ablation"]?.value(row: "(d)", column: "vqa_test_dev") == 71.1)
    #expect(tables.tables["vlbert.table1_vcr"]?.value(row: "VL-BERT-BASE", column: "q2a_test") == nil)
  }
}

@Suite struct ReportSpecTests {
  func errors(_ yaml: String) -> [String] {
    do {
      let spec = try ExperimentSpec.parse(yaml: yaml, file: "t.yaml")
      return PaperTables.embedded().check(spec.report!, file: "t.yaml").map(\.description)
    } catch {
      return error.errors.map(\.description)
    }
  }

  @Test func unknownVariantRowIsLocated() {
    let yaml = StoreFixture.yaml.replacingOccurrences(of: "    a-mlm: \"(a)\"", with: "    a-mlx: \"(a)\"")
    #expect(
      errors(yaml) == [
        "t.yaml:17:5: report row 'a-mlx' is not a variant of this spec (hint: did you mean 'a-mlm'?)"
      ])
  }

  @Test func unknownPaperColumnAndRowAreLocated() throws {
    let yaml = StoreFixture.yaml.replacingOccurrences(of: "paper: vqa_test_dev", with: "paper: vqa_test")
      .replacingOccurrences(of: "b-more: \"(b)\"", with: "b-more: \"(z)\"")
    let found = errors(yaml)
    try #require(found.count == 2)
    #expect(found[0].hasPrefix("t.yaml:14:33: paper table 'vlbert.table4_ablation' has no column 'vqa_test'"))
    #expect(found[1].hasPrefix("t.yaml:18:13: paper table 'vlbert.table4_ablation' has no row '(z)'"))
  }

  @Test func unknownPaperTable() {
    let yaml = StoreFixture.yaml.replacingOccurrences(of: "vlbert.table4_ablation", with: "vlbert.table9")
    #expect(errors(yaml).first?.hasPrefix("t.yaml:11:10: unknown paper table 'vlbert.table9'") == true)
  }

  @Test func paperRowsWithoutAPaperTableSayHowToLabelThem() {
    let yaml = StoreFixture.yaml.replacingOccurrences(of: "  paper: vlbert.table4_ablation\n", with: "")
    let found = errors(yaml)
    #expect(
      found.first?.contains("report names paper rows or columns but no 'paper' table") == true, "\(found)")
    #expect(
      found.first?.contains("vlbert.table4_ablation") == true && found.first?.contains("{label: ...}") == true
    )
  }

  @Test func unknownReportKey() {
    let yaml = StoreFixture.yaml.replacingOccurrences(of: "  title:", with: "  titel:")
    #expect(
      errors(yaml).first?.hasPrefix(
        "t.yaml:10:3: unknown key 'titel' in 'report' (hint: did you mean 'title'?)") == true)
  }
}
