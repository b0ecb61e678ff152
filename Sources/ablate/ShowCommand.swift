import ArgumentParser
import Foundation
import Store

/// `ablate show CELL`: one cell's config, provenance and final metrics; CELL may be an unambiguous id prefix.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one cell: config, provenance, final metrics.")

  @Argument(help: "A cell id, or an unambiguous prefix of one.") var cell: String
  @OptionGroup var store: StoreOption

  func run() throws {
    guard let store = try store.openExisting() else {
      throw CLIError.badInput("\(self.store.path): no store here yet; run a spec first or pass --store")
    }
    let matches = try store.cells(idPrefix: cell)
    guard let record = matches.first else {
      throw CLIError.badInput("no cell with id '\(cell)' in \(self.store.path)")
    }
    guard matches.count == 1 else {
      throw CLIError.badInput(
        "cell id '\(cell)' is ambiguous: " + matches.map { String($0.id.prefix(16)) }.joined(separator: ", "))
    }
    var lines = [
      "cell        \(record.id)",
      "experiment  \(record.experiment)",
      "variant     \(record.variant)",
      "seed        \(record.seed)",
      "grid        \(record.gridPointJSON)",
      "trainer     \(record.trainer)",
      "status      \(record.status.rawValue) (attempt \(record.attempt))",
    ]
    if let started = record.startedAt {
      lines.append("started     \(Date(timeIntervalSince1970: started).ISO8601Format())")
    }
    if let duration = record.duration { lines.append("duration    \(formatDuration(duration))") }
    if let code = record.exitCode { lines.append("exit code   \(code)") }
    if let dir = record.outputDir { lines.append("output      \(dir)") }
    if let error = record.errorText {
      lines.append(record.status == .done ? "note" : "error")
      lines += error.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    }
    lines.append("config      \(record.configJSON)")
    lines.append("metrics")
    for metric in try store.finalMetrics(cellIDs: [record.id])[record.id] ?? [] {
      let step = metric.step.map { " (step \($0))" } ?? ""
      lines.append("  \(metric.name) = \(formatMetric(metric.value))\(step)")
    }
    let artifacts = try store.artifacts(cellID: record.id)
    if !artifacts.isEmpty {
      lines.append("artifacts")
      for a in artifacts { lines.append("  \(a.path)  \(a.bytes) bytes  sha256 \(a.sha256)") }
    }
    if let id = record.provenanceID, let provenance = try store.provenance(id: id) {
      lines.append("provenance  \(provenance.json)")
      if let sha = provenance.diffSHA256 {
        lines.append("diff        sha256 \(sha) (stored once in 'diffs')")
      }
    }
    printOut(lines.joined(separator: "\n"))
  }
}
