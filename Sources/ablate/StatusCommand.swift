import ArgumentParser
import Experiments
import Foundation

/// `ablate status SPEC`: every cell of the spec and where it stands.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show a spec's cells and their states.")

  @OptionGroup var experiment: ExperimentOptions

  func run() throws {
    let experiment = try self.experiment.open()
    let status = try experiment.status()
    if let warning = status.slurmWarning {
      FileHandle.standardError.write(Data("ablate: \(warning)\n".utf8))
    }
    let now = Date().timeIntervalSince1970
    let rows = status.rows.map { row -> [String] in
      let cell = row.cell
      let grid = cell.gridPoint.keys.sorted().map { "\($0)=\(cell.gridPoint[$0]!.canonicalJSON)" }
      var metrics = row.finals.map { "\($0.name)=\(formatMetric($0.value))" }
      if let p = row.latest {
        metrics.append("\(p.name)=\(formatMetric(p.value))" + (p.step.map { " at step \($0)" } ?? ""))
      }
      // A running cell's time is how long it has run so far.
      let elapsed = row.status == .running ? row.record?.startedAt.map { now - $0 } : nil
      return [
        String(cell.id.prefix(12)), cell.variant, String(cell.seed), grid.joined(separator: " "),
        row.status.rawValue, formatDuration(row.record?.duration ?? elapsed), metrics.joined(separator: " "),
      ] + (status.onSlurm ? [row.slurm ?? "-"] : [])
    }
    let header =
      ["ID", "VARIANT", "SEED", "GRID", "STATUS", "TIME", "METRICS"] + (status.onSlurm ? ["SLURM"] : [])
    printOut(table(header, rows))
    printOut(
      "\(experiment.spec.name): \(experiment.cells.count) cells: " + Experiment.countsLine(status.counts))
    for stage in status.stages {
      printOut("stage \(stage.name): \(stage.produced) of \(stage.needed) produced")
    }
  }
}
