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
      spec: spec, cells: cells, store: try existingStore(), paper: paper, command: command,
      curves: curves)
  }
}

extension Experiment {
  /// The first done cell (in table order) that exported attention maps: its first sample as a heat map.
  public func attentionPlot(stem: String) throws -> Report.Plot? {
    guard let store = try existingStore() else { return nil }
    let records = try store.cells(ids: cellIDs)
    for cell in cells {
      guard let record = records[cell.id], record.status == .done, let dir = record.outputDir else {
        continue
      }
      let folder = URL(fileURLWithPath: dir).appendingPathComponent("attention")
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
        continue
      }
      guard let npy = names.filter({ $0.hasSuffix(".npy") }).sorted().first else { continue }
      let sample = String(npy.dropLast(4))
      guard
        let map = try? AttentionMap.read(
          npy: folder.appendingPathComponent(npy),
          json: folder.appendingPathComponent(sample + ".json"))
      else { continue }
      return Report.Plot(
        title:
          "Attention, text tokens x image regions (\(cell.variant), seed \(cell.seed), sample \(sample))",
        fileName: "\(stem)-attention.svg", svg: map.heatmapSVG(title: "\(cell.variant): \(sample)"))
    }
    return nil
  }
}
