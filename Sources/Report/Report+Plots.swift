import Foundation
import Primitives
import Spec
import Store
import TrainerProtocol

extension Report {
  /// A chart to write next to the report: its file name and SVG text.
  public struct Plot: Sendable {
    public var title: String
    public var fileName: String
    public var svg: String

    public init(title: String, fileName: String, svg: String) {
      self.title = title
      self.fileName = fileName
      self.svg = svg
    }
  }

  /// Loss curves per metric (one line per row, mean with a ± std band over seeds), and a bar chart of each
  /// ablation row's change per metric with ± s.e. error bars. `smoothing` is the curves' EMA weight (0: raw).
  public func plots(prefix: String, smoothing: Double = 0) -> [Plot] {
    var plots: [Plot] = []
    let measured = table.rows.filter { $0.kind == .measured }
    let labels = Dictionary(zip(rowKeys, measured.map(\.label)), uniquingKeysWith: { a, _ in a })
    let metrics = Set(curves.values.flatMap(\.keys)).sorted()
    for metric in metrics {
      let series = rowKeys.compactMap { key -> SVGPlot.Series? in
        guard let seeds = curves[key]?[metric], !seeds.isEmpty else { return nil }
        return SVGPlot.Series(label: labels[key] ?? key, seeds: seeds)
      }
      guard series.contains(where: { !$0.points.isEmpty }) else { continue }
      let slug = metric.map { $0.isLetter || $0.isNumber ? $0 : "-" }
      plots.append(
        Plot(
          title: "\(metric) (mean ± std over seeds\(smoothing > 0 ? ", smoothed \(smoothing)" : ""))",
          fileName: "\(prefix)-curve-\(String(slug)).svg",
          svg: SVGPlot.curves(
            title: metric, xLabel: "step", yLabel: metric, series: series, smoothing: smoothing)))
    }
    let bars = findings.compactMap { f -> SVGPlot.Bar? in
      guard let ours = f.ours else { return nil }
      return SVGPlot.Bar(group: f.row, series: f.column, value: ours, error: f.oursStandardError)
    }
    if !bars.isEmpty {
      plots.append(
        Plot(
          title: "Change of each ablation row against the row it adds to (± s.e.)",
          fileName: "\(prefix)-ablation.svg",
          svg: SVGPlot.bars(title: "Ablation: change per metric", yLabel: "Δ (points)", bars: bars)))
    }
    return plots
  }

  /// The plots of the trainer's attachments: the attention heat map of `attention`.
  public func attachmentPlots(prefix: String) -> [Plot] {
    guard let a = attention else { return [] }
    return [
      Plot(
        title: "Attention, text tokens x image regions (\(a.variant), seed \(a.seed), sample \(a.sample))",
        fileName: "\(prefix)-attention.svg", svg: a.map.heatmapSVG(title: "\(a.variant): \(a.sample)"))
    ]
  }

  /// The first done cell (in expansion order) whose output holds attention maps in one of `attachments`: its
  /// first sample.
  static func firstAttention(
    cells: [Cell], records: [String: CellRecord], in attachments: [TrainerBookkeeping.Attachment]
  ) -> AttentionSample? {
    guard !attachments.isEmpty else { return nil }
    for cell in cells {
      guard let record = records[cell.id], record.status == .done, let dir = record.outputDir else {
        continue
      }
      for attachment in attachments {
        let folder = URL(fileURLWithPath: dir).appendingPathComponent(attachment.directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
          let npy = names.filter({ $0.hasSuffix(".npy") }).sorted().first
        else { continue }
        let sample = String(npy.dropLast(4))
        guard
          let map = try? AttentionMap.read(
            npy: folder.appendingPathComponent(npy), json: folder.appendingPathComponent(sample + ".json"))
        else { continue }
        return AttentionSample(variant: cell.variant, seed: cell.seed, sample: sample, map: map)
      }
    }
    return nil
  }
}

/// One attention map of one cell, for the report's heat map.
public struct AttentionSample: Sendable {
  public var variant: String
  public var seed: Int
  public var sample: String
  public var map: AttentionMap
}

/// An attention export of the trainer: `<sample>.npy` (float32 [layers, heads, L, L]) and `<sample>.json`.
public struct AttentionMap: Sendable {
  public var tokens: [String]
  public var kinds: [String]
  public var layers: Int
  public var heads: Int
  public var values: [Float]

  public struct ReadError: Error, CustomStringConvertible {
    public var description: String
  }

  public static func read(npy: URL, json: URL) throws -> AttentionMap {
    let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
    guard let tokens = meta["tokens"] as? [String], let kinds = meta["kinds"] as? [String],
      let layers = meta["layers"] as? Int, let heads = meta["heads"] as? Int
    else { throw ReadError(description: "\(json.path): expected tokens, kinds, layers, heads") }
    let array: NPYArray
    do { array = try NPYArray(data: Data(contentsOf: npy)) } catch let error as NPYError {
      throw ReadError(description: "\(npy.path): \(error.message)")
    }
    guard let floats = array.floats else {
      throw ReadError(description: "\(npy.path): expected little-endian float32")
    }
    let count = layers * heads * tokens.count * tokens.count
    guard floats.count >= count else {
      throw ReadError(description: "\(npy.path): expected \(count) values for [\(layers), \(heads), L, L]")
    }
    return AttentionMap(
      tokens: tokens, kinds: kinds, layers: layers, heads: heads, values: Array(floats.prefix(count)))
  }

  /// Attention from text tokens (rows) to image regions (columns), averaged over heads of one layer, as SVG.
  public func heatmapSVG(title: String, layer: Int? = nil) -> String {
    let l = min(layer ?? layers - 1, layers - 1), n = tokens.count
    let text = kinds.indices.filter { kinds[$0] == "text" },
      visual = kinds.indices.filter { kinds[$0] == "visual" }
    let grid = text.map { i in
      visual.map { j in
        (0..<heads).map { h in Double(values[((l * heads + h) * n + i) * n + j]) }.reduce(0, +)
          / Double(heads)
      }
    }
    return SVGPlot.heatmap(
      title: "\(title), layer \(l + 1), mean over \(heads) heads", rowLabels: text.map { tokens[$0] },
      columnLabels: visual.map { tokens[$0] }, values: grid)
  }
}
