import Foundation

/// Everything one `ablate report` shows: the table, the ablation findings, the curves for plots, and where the
/// numbers came from. Built once from a spec and a store; every output format renders this value.
public struct Report: Sendable {
  public var table: ReportTable
  /// Per measured row (same order as `table.rows` filtered to measured): the row's key and its cells' states.
  public var rowKeys: [String]
  public var findings: [Finding]
  public var footer: Footer
  /// Curves per row key and metric: each seed's (step, value) points, for the loss plots.
  public var curves: [String: [String: [[(step: Int, value: Double)]]]]
  /// The first done cell's first attention map, when its trainer declares them and plots were asked for.
  public var attention: AttentionSample?

  public init(
    table: ReportTable, rowKeys: [String], findings: [Finding], footer: Footer,
    curves: [String: [String: [[(step: Int, value: Double)]]]] = [:]
  ) {
    self.table = table
    self.rowKeys = rowKeys
    self.findings = findings
    self.footer = footer
    self.curves = curves
  }

  /// Where the numbers came from, so a reader can check and regenerate them.
  public struct Footer: Sendable, Equatable {
    public var commits: [String]
    /// Diff hashes of runs made from a dirty tree; empty when every run was clean.
    public var dirtyDiffs: [String]
    /// Lines naming the settings the trainer declares (`TrainerBookkeeping.footer`), e.g. its world.
    public var settings: [String]
    public var seeds: [Int]
    public var blas: [String]
    /// Summed wall time of the cells used, in seconds.
    public var computeSeconds: Double
    public var cellsDone: Int
    public var cellsExpected: Int
    public var command: String
    /// How bold is decided, said once in words.
    public var significance: String

    public init(
      commits: [String] = [], dirtyDiffs: [String] = [], settings: [String] = [],
      seeds: [Int] = [], blas: [String] = [], computeSeconds: Double = 0, cellsDone: Int = 0,
      cellsExpected: Int = 0,
      command: String = "",
      significance: String =
        "bold = best in its column and better than the runner-up by Welch's t-test, p < 0.05"
    ) {
      self.commits = commits
      self.dirtyDiffs = dirtyDiffs
      self.settings = settings
      self.seeds = seeds
      self.blas = blas
      self.computeSeconds = computeSeconds
      self.cellsDone = cellsDone
      self.cellsExpected = cellsExpected
      self.command = command
      self.significance = significance
    }

    /// A commit id cut to 12 digits; a sentence (a run outside any git repository) is kept whole.
    static func short(_ commit: String) -> String {
      commit.allSatisfy(\.isHexDigit) ? String(commit.prefix(12)) : commit
    }

    /// The footer as lines of plain text (Markdown-safe).
    public var lines: [String] {
      var out: [String] = []
      out.append(
        "Code: "
          + (commits.isEmpty
            ? "no finished cell yet" : commits.map(Self.short).joined(separator: ", ")))
      if !commits.isEmpty {
        out.append(
          dirtyDiffs.isEmpty
            ? "Working tree: clean for every run"
            : "Working tree: DIRTY for some runs (diff sha256 "
              + dirtyDiffs.map { String($0.prefix(12)) }.joined(separator: ", ") + ")")
      }
      out += settings
      out.append(
        "Seeds: " + seeds.map(String.init).joined(separator: ", ")
          + " (\(cellsDone)/\(cellsExpected) cells done)")
      if !blas.isEmpty { out.append("BLAS: " + blas.joined(separator: "; ")) }
      out.append("Compute: " + Self.duration(computeSeconds))
      out.append("Statistics: mean ± sample std over seeds; " + significance)
      out.append("Regenerate: `\(command)`")
      return out
    }

    static func duration(_ s: Double) -> String {
      if s < 60 { return String(format: "%.1f s", s) }
      if s < 3600 { return String(format: "%.1f min", s / 60) }
      return String(format: "%.2f h", s / 3600)
    }
  }

  /// "2 of 3 of the paper's findings reproduced in direction (not counted: 1 where the paper shows no change)", nil without an ablation.
  public var findingsSummary: String? {
    guard !findings.isEmpty else { return nil }
    if !table.hasPaper {
      let judged = findings.filter { ![.notMeasured, .oneSeed].contains($0.verdict) }
      let beyond = judged.filter { $0.verdict == .higher || $0.verdict == .lower }.count
      return "\(beyond) of \(judged.count) changes beyond two standard errors of zero"
    }
    let judged = findings.filter { [.agrees, .disagrees, .withinNoise].contains($0.verdict) }
    let agreed = judged.filter { $0.verdict == .agrees }.count
    let flat = findings.filter { $0.verdict == .paperFlat }.count
    let unmeasured = findings.filter { $0.verdict == .notMeasured }.count
    let oneSeed = findings.filter { $0.verdict == .oneSeed }.count
    var text = "\(agreed) of \(judged.count) of the paper's findings reproduced in direction"
    var extra: [String] = []
    if flat > 0 { extra.append("\(flat) where the paper shows no change") }
    if unmeasured > 0 { extra.append("\(unmeasured) not measured") }
    if oneSeed > 0 { extra.append("\(oneSeed) with one seed a row") }
    if !extra.isEmpty { text += " (not counted: " + extra.joined(separator: "; ") + ")" }
    return text
  }
}
