import Spec
import Store

/// A cell of the expanded spec beside what the store already knows of it.
public struct PlannedCell: Sendable {
  public var cell: Cell
  public var record: CellRecord?
  /// False when the cell is finished already (done, or a failure and no `--retry-failed`) or queued on Slurm.
  public var willRun: Bool
}

extension PlannedCell {
  /// Joins expanded cells with their stored state (nil store: nothing stored yet).
  public static func plan(_ cells: [Cell], store: Store?, retryFailed: Bool) throws -> [PlannedCell] {
    let records = try store?.cells(ids: cells.map(\.id)) ?? [:]
    return cells.map { cell in
      let record = records[cell.id]
      let settled =
        record.map { $0.status == .done || $0.status == .queued || ($0.status.isFailure && !retryFailed) }
        ?? false
      return PlannedCell(cell: cell, record: record, willRun: !settled)
    }
  }

  /// "variant=x seed=1 a.b=2" for progress lines and listings.
  public var label: String { cell.label }
}

extension Cell {
  public var label: String {
    var parts = ["variant=\(variant)", "seed=\(seed)"]
    for key in gridPoint.keys.sorted() { parts.append("\(key)=\(gridPoint[key]!.canonicalJSON)") }
    return parts.joined(separator: " ")
  }

  /// The grid point as canonical JSON, for the store.
  public var gridPointJSON: String { ConfigValue.object(gridPoint).canonicalJSON }
}
