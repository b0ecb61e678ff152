import Foundation
import Spec
import Store

/// `ablate export --format tensorboard`: one run directory per cell the store knows, each with one event file
/// holding the cell's curves as scalars and its resolved config as a text summary.
///
/// `wandb sync` and `aim convert` read the same directories, so this one writer reaches three tools.
public enum TensorBoardExport {
  /// What an export wrote, for the command's one-line summary.
  public struct Written: Sendable, Equatable {
    public var runs: Int
    public var scalars: Int
  }

  /// `variant/k=v,k=v/seed=N` (no middle part without a grid), each part safe as a file name.
  public static func runName(for cell: Cell) -> String {
    var parts = [cell.variant]
    if !cell.gridPoint.isEmpty {
      parts.append(
        cell.gridPoint.keys.sorted().map { key in
          let value = cell.gridPoint[key]!
          return "\(key)=\(value.stringValue ?? value.canonicalJSON)"
        }.joined(separator: ","))
    }
    parts.append("seed=\(cell.seed)")
    return parts.map(safeComponent).joined(separator: "/")
  }

  /// A cell's event file name: TensorBoard reads any name containing "tfevents"; the cell id makes a
  /// re-export replace the file instead of adding a second copy of each curve.
  public static func fileName(for cell: Cell) -> String {
    "events.out.tfevents.0.ablate-\(cell.id.prefix(16))"
  }

  /// The event file of one cell: the config as Markdown text at step 0, then every point of every curve.
  /// A point logged without a step gets its index in its metric's curve.
  public static func eventFile(cell: Cell, record: CellRecord, points: [MetricPoint]) -> EventFile {
    let start = record.startedAt ?? points.first?.time ?? 0
    var file = EventFile(wallTime: start)
    file.append(.text(tag: "config", step: 0, text: configMarkdown(cell, record), wallTime: start))
    var nextIndex: [String: Int64] = [:]
    for point in points {
      let step = point.step.map(Int64.init) ?? nextIndex[point.name, default: 0]
      nextIndex[point.name] = step + 1
      file.append(.scalar(tag: point.name, step: step, value: Float(point.value), wallTime: point.time))
    }
    return file
  }

  /// Writes one run directory under `folder` for each of `cells` that the store has a record of.
  public static func write(cells: [Cell], store: Store, to folder: URL) throws -> Written {
    let records = try store.cells(ids: cells.map(\.id))
    var written = Written(runs: 0, scalars: 0)
    for cell in cells {
      guard let record = records[cell.id] else { continue }
      let points = try store.metricPoints(cellID: cell.id)
      let file = eventFile(cell: cell, record: record, points: points)
      try file.write(to: folder.appendingPathComponent(runName(for: cell)), name: fileName(for: cell))
      written.runs += 1
      written.scalars += points.count
    }
    return written
  }

  /// The resolved config as a Markdown table of dotted keys, with the cell's id and state above it.
  static func configMarkdown(_ cell: Cell, _ record: CellRecord) -> String {
    var lines = [
      "cell `\(cell.id)`, \(record.status.rawValue), attempt \(record.attempt)", "",
      "| key | value |", "| --- | --- |",
    ]
    for path in cell.config.allPaths {
      guard let value = cell.config[path: path], value.objectValue == nil else { continue }  // leaves only
      let text = (value.stringValue ?? value.canonicalJSON).replacingOccurrences(of: "|", with: "\\|")
      lines.append("| \(path) | \(text) |")
    }
    return lines.joined(separator: "\n")
  }

  private static func safeComponent(_ text: String) -> String {
    let kept = String(
      text.map { c -> Character in
        c.isLetter || c.isNumber || "._=,+-@".contains(c) ? c : "_"
      })
    return kept.isEmpty || kept == "." || kept == ".." ? "_" + kept : kept
  }
}
