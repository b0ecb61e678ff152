import ArgumentParser
import Foundation
import Orchestrator
import Spec
import Store
import TrainerProtocol

/// `ablate status SPEC`: every cell of the spec and where it stands.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show a spec's cells and their states.")

  @Argument(help: "The experiment spec (YAML).") var spec: String
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @OptionGroup var store: StoreOption

  func run() throws {
    let spec = try loadSpec(self.spec, overrides: overrides)
    let launch = try resolveTrainer(spec)
    let cells = spec.cells(trainerIdentity: launch.identity)
    let opened = try store.openExisting()
    // Cells first: a damaged store is reported by the store's own check before any Slurm query.
    _ = try opened?.cells(ids: cells.map(\.id))
    let slurm = try opened.map { try slurmColumn($0, cellIDs: cells.map(\.id)) } ?? [:]
    let records = try opened?.cells(ids: cells.map(\.id)) ?? [:]
    let finals = try opened?.finalMetrics(cellIDs: cells.map(\.id)) ?? [:]
    var counts: [CellStatus: Int] = [:]
    let rows = cells.map { cell -> [String] in
      let record = records[cell.id]
      let status = record?.status ?? .pending
      counts[status, default: 0] += 1
      let grid = cell.gridPoint.keys.sorted().map { "\($0)=\(cell.gridPoint[$0]!.canonicalJSON)" }
      let metrics = (finals[cell.id] ?? []).map { "\($0.name)=\(formatMetric($0.value))" }
      return [
        String(cell.id.prefix(12)), cell.variant, String(cell.seed), grid.joined(separator: " "),
        status.rawValue, formatDuration(record?.duration), metrics.joined(separator: " "),
      ] + (slurm.isEmpty ? [] : [slurm[cell.id] ?? "-"])
    }
    let header =
      ["ID", "VARIANT", "SEED", "GRID", "STATUS", "TIME", "METRICS"] + (slurm.isEmpty ? [] : ["SLURM"])
    printOut(table(header, rows))
    let parts = CellStatus.allCases.compactMap { s in counts[s].map { "\(s.rawValue) \($0)" } }
    printOut("\(spec.name): \(cells.count) cells: " + parts.joined(separator: ", "))
    let stagesRoot = RunLayout(storePath: store.path).stages.path
    for stage in launch.stages {
      let ids = Set(cells.compactMap { launch.stageIDs(for: $0)[stage.stage.name] })
      let produced = ids.filter { FileManager.default.fileExists(atPath: stagesRoot + "/" + $0) }.count
      printOut("stage \(stage.stage.name): \(produced) of \(ids.count) produced")
    }
  }
}
