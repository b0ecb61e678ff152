import Foundation
import Spec
import Store
import TrainerProtocol

extension Report {
  /// Builds the report of `spec` from the store: one row per (variant, grid point), one column per metric.
  ///
  /// `cells` are the spec's expanded cells (their ids are what the store knows). A cell that is not `done`, or
  /// that has no value for a column, is a hole carrying its state; its value is never averaged in.
  /// Curves (and the attachments `bookkeeping` declares) are read only when `curves` is true (plots), since
  /// they are the bulk of the store. `bookkeeping` is the trainer's: its bookkeeping metrics are no columns.
  public static func build(
    spec: ExperimentSpec, cells: [Cell], store: Store?, paper: PaperTables, command: String,
    curves: Bool = false, bookkeeping: TrainerBookkeeping = .none
  ) throws -> Report {
    let section = spec.report
    let ids = cells.map(\.id)
    let records = try store?.cells(ids: ids) ?? [:]
    let doneIDs = ids.filter { records[$0]?.status == .done }
    let finals = try store?.finalMetrics(cellIDs: doneIDs) ?? [:]
    let paperTable = section?.paper.flatMap { paper.tables[$0] }

    // Columns: the section's, or every final metric seen (bookkeeping metrics left out).
    let columns: [ReportTable.Column]
    var paperColumn: [String: String] = [:]
    if let section {
      columns = section.columns.map {
        ReportTable.Column(
          key: $0.key, label: $0.label, higherIsBetter: $0.higherIsBetter, decimals: $0.decimals)
      }
      for c in section.columns { paperColumn[c.key] = c.paper }
    } else {
      let names = Set(finals.values.flatMap { $0.map(\.name) })
        .filter { !bookkeeping.isBookkeeping(metric: $0) }.sorted()
      columns = names.map {
        ReportTable.Column(
          key: $0, label: $0, higherIsBetter: !$0.contains("loss") && !$0.contains("error"), decimals: 3)
      }
    }

    // Rows: variants in the section's order, each at every grid point.
    let rowSpecs: [(variant: String, label: String, paper: String?)] =
      section?.rows.map { ($0.variant, $0.label, $0.paper) } ?? spec.variants.map { ($0.name, $0.name, nil) }
    let byRow = Dictionary(grouping: cells, by: { rowKey(variant: $0.variant, point: $0.gridPoint) })
    let points = spec.grid.points().map { point in
      Dictionary(point.map { ($0.path, $0.value) }, uniquingKeysWith: { _, b in b })
    }

    let aggregates = Dictionary(
      (section?.columns ?? []).map { ($0.key, $0.aggregate) }, uniquingKeysWith: { a, _ in a })
    let metricOf = Dictionary(
      (section?.columns ?? []).map { ($0.key, $0.metric) }, uniquingKeysWith: { a, _ in a })
    /// The steps aggregated columns took their values from, for the caption.
    var steps: [String: [Int]] = [:]
    var rows: [ReportTable.Row] = []
    var keys: [String] = []
    for name in section?.referenceOnly.map(\.name) ?? [] {
      var entries: [String: ReportTable.Entry] = [:]
      for column in columns {
        entries[column.key] = .init(
          paper: paperColumn[column.key].flatMap { paperTable?.value(row: name, column: $0) })
      }
      rows.append(.init(label: name, kind: .referenceOnly, cells: entries))
    }
    for rowSpec in rowSpecs {
      for point in points {
        let key = rowKey(variant: rowSpec.variant, point: point)
        let rowCells = byRow[key] ?? []
        var entries: [String: ReportTable.Entry] = [:]
        for column in columns {
          var values: [Double] = []
          var missing: [String] = []
          for cell in rowCells {
            let status = records[cell.id]?.status.rawValue ?? "not run"
            guard status == CellStatus.done.rawValue else {
              missing.append(status)
              continue
            }
            let aggregate = aggregates[column.key] ?? .last
            if aggregate != .last, let store {
              let points = try store.metricPoints(cellID: cell.id, name: metricOf[column.key] ?? column.key)
                .filter { $0.value.isFinite }
              if let chosen = Self.choose(points, aggregate, higherIsBetter: column.higherIsBetter) {
                values.append(chosen.value)
                if let step = chosen.step { steps[column.key, default: []].append(step) }
              } else {
                missing.append("no value")
              }
            } else if let v = finals[cell.id]?.last(where: { $0.name == (metricOf[column.key] ?? column.key) }
            )?
            .value, v.isFinite {
              values.append(v)
            } else {
              missing.append("no value")
            }
          }
          let paperValue = rowSpec.paper.flatMap { row in
            paperColumn[column.key].flatMap { paperTable?.value(row: row, column: $0) }
          }
          entries[column.key] = .init(measured: Summary(values), missing: missing, paper: paperValue)
        }
        let label = point.isEmpty ? rowSpec.label : "\(rowSpec.label) (\(pointText(point)))"
        rows.append(.init(label: label, expected: rowCells.count, cells: entries))
        keys.append(key)
      }
    }
    var caption = section?.caption ?? (spec.description.isEmpty ? nil : spec.description)
    for column in columns {
      guard let aggregate = aggregates[column.key], aggregate != .last else { continue }
      let taken = (steps[column.key] ?? []).sorted()
      let at =
        taken.isEmpty
        ? ""
        : taken.first == taken.last ? ", at step \(taken[0])" : ", at steps \(taken.first!)-\(taken.last!)"
      let note = "\(column.label): the \(aggregate.rawValue) value of each cell's curve\(at)."
      caption = caption.map { $0 + " " + note } ?? note
    }
    let table = ReportTable(
      title: section?.title ?? spec.name,
      caption: caption,
      columns: columns, rows: rows, hasPaper: paperTable != nil)

    // Findings: each ablation row against the row it adds to, at the same grid point.
    var findings: [Finding] = []
    let measured = rows.filter { $0.kind == .measured }
    let rowIndex = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let paperRowOf = Dictionary(rowSpecs.map { ($0.variant, $0.paper) }, uniquingKeysWith: { a, _ in a })
    let unjudged = Set((section?.columns ?? []).filter { !$0.findings }.map(\.key))
    for edge in section?.ablation ?? [] {
      for point in points {
        guard let i = rowIndex[rowKey(variant: edge.row, point: point)],
          let j = rowIndex[rowKey(variant: edge.parent, point: point)]
        else { continue }
        for column in columns where !unjudged.contains(column.key) {
          let paperRow = paperRowOf[edge.row] ?? nil, paperParent = paperRowOf[edge.parent] ?? nil
          let pc = paperColumn[column.key]
          findings.append(
            Finding.compare(
              row: measured[i].label, parent: measured[j].label, column: column.label,
              ours: measured[i].cells[column.key]?.measured ?? Summary([]),
              oursParent: measured[j].cells[column.key]?.measured ?? Summary([]),
              paper: paperRow.flatMap { r in pc.flatMap { paperTable?.value(row: r, column: $0) } },
              paperParent: paperParent.flatMap { r in pc.flatMap { paperTable?.value(row: r, column: $0) } },
              againstPaper: paperTable != nil))
        }
      }
    }

    let footer = try makeFooter(
      spec: spec, cells: cells, records: records, store: store, command: command, line: bookkeeping.footer)
    var curveData: [String: [String: [[(step: Int, value: Double)]]]] = [:]
    if curves, let store {
      for (key, rowCells) in byRow {
        for cell in rowCells where records[cell.id]?.status == .done {
          let points = try store.metricPoints(cellID: cell.id).filter {
            $0.name.hasSuffix("loss") && $0.step != nil
          }
          for (name, series) in Dictionary(grouping: points, by: \.name) {
            curveData[key, default: [:]][name, default: []].append(series.map { ($0.step!, $0.value) })
          }
        }
      }
    }
    var report = Report(table: table, rowKeys: keys, findings: findings, footer: footer, curves: curveData)
    if curves {
      report.attention = firstAttention(
        cells: cells, records: records, in: bookkeeping.attachments.filter { $0.kind == .attentionMaps })
    }
    return report
  }

  /// The point a column's `aggregate` takes from a cell's curve: its best (by the column's direction), min or max.
  static func choose(_ points: [MetricPoint], _ aggregate: ReportSection.Aggregate, higherIsBetter: Bool)
    -> MetricPoint?
  {
    switch aggregate {
    case .last: return points.last
    case .min: return points.min { $0.value < $1.value }
    case .max: return points.max { $0.value < $1.value }
    case .best:
      return higherIsBetter ? points.max { $0.value < $1.value } : points.min { $0.value < $1.value }
    }
  }

  /// "variant" or "variant|path=value|..." (sorted paths): the identity of a row.
  static func rowKey(variant: String, point: [String: ConfigValue]) -> String {
    ([variant] + point.keys.sorted().map { "\($0)=\(point[$0]!.canonicalJSON)" }).joined(separator: "|")
  }

  static func pointText(_ point: [String: ConfigValue]) -> String {
    point.keys.sorted().map { key in
      let value = point[key]!
      return "\(key)=\(value.stringValue ?? value.canonicalJSON)"
    }.joined(separator: ", ")
  }

  private static func makeFooter(
    spec: ExperimentSpec, cells: [Cell], records: [String: CellRecord], store: Store?, command: String,
    line: TrainerBookkeeping.FooterLine?
  ) throws -> Footer {
    var footer = Footer(seeds: spec.seeds, command: command)
    footer.cellsExpected = cells.count
    var provenanceIDs = Set<Int64>()
    var values = [Set<String>](repeating: [], count: line?.settings.count ?? 0)
    for cell in cells {
      for (i, setting) in (line?.settings ?? []).enumerated() {
        if let value = cell.config[path: setting.path] {
          values[i].insert(value.stringValue ?? value.canonicalJSON)
        }
      }
      guard let record = records[cell.id], record.status == .done else { continue }
      footer.cellsDone += 1
      footer.computeSeconds += record.duration ?? 0
      if let id = record.provenanceID { provenanceIDs.insert(id) }
    }
    // "World: scale smoke, seed 0", when some cell sets the first setting; a setting no cell sets is left out.
    if let line, let first = values.first, !first.isEmpty {
      footer.settings.append(
        line.label + ": "
          + zip(line.settings, values).filter { !$1.isEmpty }
          .map { "\($0.name) " + $1.sorted().joined(separator: ", ") }.joined(separator: ", "))
    }
    var commits = Set<String>(), diffs = Set<String>(), blas = Set<String>()
    for id in provenanceIDs {
      guard let record = try store?.provenance(id: id),
        let object = try? JSONSerialization.jsonObject(with: Data(record.json.utf8)) as? [String: Any]
      else { continue }
      let git = object["git"] as? [String: Any]
      commits.insert((git?["commit"] as? String) ?? "not a git repository")
      if (git?["dirty"] as? Bool) == true {
        diffs.insert((git?["diffSHA256"] as? String) ?? record.diffSHA256 ?? "unknown")
      }
      if let b = object["blas"] as? [String: Any] {
        let config = (b["config"] as? String) ?? "?"
        blas.insert("\(config), \(b["threads"] as? Int ?? 0) threads")
      }
    }
    footer.commits = commits.sorted()
    footer.dirtyDiffs = diffs.sorted()
    footer.blas = blas.sorted()
    return footer
  }
}
