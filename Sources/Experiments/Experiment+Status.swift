import Foundation
import Orchestrator
import Spec
import Store

extension Experiment {
  /// Where every cell stands, for `ablate status`.
  public struct Status: Sendable {
    public struct Row: Sendable {
      public var cell: Cell
      public var record: CellRecord?
      public var finals: [FinalMetric]
      /// A running cell's newest curve point, to show how far it is; nil for any other cell.
      public var latest: MetricPoint?
      /// The Slurm task's state, nil when the cell never went to Slurm.
      public var slurm: String?
      public var status: CellStatus { record?.status ?? .pending }
    }

    /// A stage the cells need, and how many of its distinct outputs exist.
    public struct Stage: Sendable {
      public var name: String
      public var produced: Int
      public var needed: Int
    }

    public var rows: [Row]
    public var stages: [Stage]
    /// True when some cell went to Slurm (the SLURM column is shown).
    public var onSlurm: Bool
    /// Said once when the queue could not be read.
    public var slurmWarning: String?

    public var counts: [CellStatus: Int] {
      rows.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }
  }

  /// Reads the store once (read-only unless Slurm results are waiting to be collected).
  public func status() throws -> Status {
    let opened = try existingStore()
    // Cells first: a damaged store is reported by the store's own check before any Slurm query.
    var records = try opened?.cells(ids: cellIDs) ?? [:]
    var slurm: [String: String] = [:]
    var warning: String?
    if let opened {
      let column = try slurmColumn(opened)
      (slurm, warning) = (column.column, column.warning)
      // Collecting Slurm results settles cells: read them again only then.
      if !slurm.isEmpty { records = try opened.cells(ids: cellIDs) }
    }
    let finals = try opened?.finalMetrics(cellIDs: cellIDs) ?? [:]
    let running = records.values.filter { $0.status == .running }.map(\.id)
    let latest = try opened?.latestPoints(cellIDs: running) ?? [:]
    let rows = cells.map { cell in
      Status.Row(
        cell: cell, record: records[cell.id], finals: finals[cell.id] ?? [], latest: latest[cell.id],
        slurm: slurm.isEmpty ? nil : slurm[cell.id] ?? "-")
    }
    let stagesRoot = layout.stages.path
    let stages = launch.stages.map { stage in
      let ids = Set(cells.compactMap { launch.stageIDs(for: $0)[stage.stage.name] })
      let produced = ids.filter { FileManager.default.fileExists(atPath: stagesRoot + "/" + $0) }.count
      return Status.Stage(name: stage.stage.name, produced: produced, needed: ids.count)
    }
    return Status(rows: rows, stages: stages, onSlurm: !slurm.isEmpty, slurmWarning: warning)
  }
}
