import ArgumentParser
import Foundation
import Store

/// `ablate runs`: recorded cells across experiments, filtered.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List recorded cells, filtered by experiment and status.")

  @Option(help: "Only this experiment.") var experiment: String?
  @Option(help: "Only this status (pending, running, done, failed, diverged, timed-out, interrupted).")
  var status: CellStatus?
  @OptionGroup var store: StoreOption

  func run() throws {
    guard let store = try store.openExisting() else {
      throw CLIError.badInput("\(self.store.path): no store here yet; run a spec first or pass --store")
    }
    let cells = try store.cells(experiment: experiment, status: status)
    let finals = try store.finalMetrics(cellIDs: cells.map(\.id))
    let rows = cells.map { cell -> [String] in
      let metrics = (finals[cell.id] ?? []).map { "\($0.name)=\(formatMetric($0.value))" }
      return [
        String(cell.id.prefix(12)), cell.experiment, cell.variant, String(cell.seed), cell.status.rawValue,
        formatDuration(cell.duration), metrics.joined(separator: " "),
      ]
    }
    printOut(table(["ID", "EXPERIMENT", "VARIANT", "SEED", "STATUS", "TIME", "METRICS"], rows))
    printOut("\(cells.count) cells")
  }
}

extension CellStatus: ExpressibleByArgument {}
