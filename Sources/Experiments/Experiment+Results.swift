import Foundation
import Report
import Spec
import Store

extension Experiment {
  /// The cells' stored records, final metrics and run origins, read once, for exports.
  public struct Results {
    public var store: Store?
    public var records: [String: CellRecord]
    public var finals: [String: [FinalMetric]]
    public var origins: [Int64: RunOrigin]
  }

  public func results() throws -> Results {
    let opened = try existingStore()
    let records = try opened?.cells(ids: cellIDs) ?? [:]
    return Results(
      store: opened, records: records, finals: try opened?.finalMetrics(cellIDs: cellIDs) ?? [:],
      origins: try RunOrigin.load(records.values.compactMap(\.provenanceID), from: opened))
  }

  /// The spec's report from the store: its table beside the paper's numbers, the findings and the footer,
  /// with the curves for plots when `curves` is true.
  public func report(paper: PaperTables, command: String, curves: Bool) throws -> Report {
    try Report.build(
      spec: spec, cells: cells, store: try existingStore(), paper: paper, command: command, curves: curves,
      bookkeeping: launch.bookkeeping)
  }
}
