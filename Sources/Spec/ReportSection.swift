/// The `report:` section of a spec: which table the spec renders to, so the spec reads like the table.
///
/// The Spec module checks its shape and that rows name real variants; whether a paper table, row or column
/// exists is checked by the Report module, which owns the paper's numbers (hence the kept locations).
public struct ReportSection: Sendable {
  public var title: String?
  public var caption: String?
  /// "vlbert.table4_ablation": a table in the paper reference file.
  public var paper: String?
  public var paperLocation: SourceLocation?
  public var columns: [Column]
  /// Measured rows in table order: the `rows:` mapping's order, then any variant it does not name.
  public var rows: [Row]
  /// Paper rows shown with the paper's numbers only, by their `model`/`setting` name.
  public var referenceOnly: [Named]
  /// Each ablation row -> the row it adds to, in file order.
  public var ablation: [Edge]
  public var location: SourceLocation

  public struct Column: Sendable {
    public var metric: String
    public var paper: String?
    public var label: String
    public var decimals: Int
    public var higherIsBetter: Bool
    /// Which value of each cell's curve the column shows (`aggregate:`): its last (the final value), its
    /// best (by `higher_is_better`, as papers report the best epoch on val), its min or its max.
    public var aggregate: Aggregate = .last
    /// Whether the ablation's findings judge this column (`findings: false` for a column that describes a row,
    /// such as its training-set size, rather than measuring a result).
    public var findings = true
    public var location: SourceLocation
    public var paperLocation: SourceLocation?
  }

  public enum Aggregate: String, Sendable, CaseIterable { case last, best, min, max }

  public struct Row: Sendable {
    public var variant: String
    /// The paper's row for it (`model` or `setting`), nil when the paper has none.
    public var paper: String?
    public var label: String
    public var paperLocation: SourceLocation?
  }

  public struct Named: Sendable {
    public var name: String
    public var location: SourceLocation
  }

  public struct Edge: Sendable {
    public var row: String
    public var parent: String
    public var location: SourceLocation
  }
}

extension SpecValidator {
  static let reportKeys = [
    "title", "caption", "paper", "columns", "rows", "reference_only", "ablation", "inherit",
  ]
  static let columnKeys = [
    "metric", "paper", "label", "decimals", "higher_is_better", "aggregate", "findings",
  ]
  static let rowKeys = ["paper", "label"]

  mutating func validateReport(_ entry: SourceNode.Entry, variants: [String]) -> ReportSection? {
    let node = entry.value
    guard let entries = node.entries else {
      typeError(
        node, expected: "a mapping", for: "report", hint: "write report: {title: ..., columns: [...]}")
      return nil
    }
    checkKeys(entries, known: Self.reportKeys, in: "'report'")
    // The loader folds an inheriting report into its parent's and drops the key, so one still here had nothing
    // to inherit from.
    if let inherit = node["inherit"] {
      guard case .bool(let inherits)? = inherit.value.scalar else {
        // Not folded into the parent's either: one line, not a list of the keys this report then lacks.
        typeError(
          inherit.value, expected: "true or false", for: "report.inherit", hint: "write inherit: true")
        return nil
      }
      if inherits {
        diagnostics.error(
          inherit.keyLocation, "'report.inherit: true' needs a parent spec with a report",
          hint: "add 'extends: PARENT.yaml' naming a spec that has one, or write the whole report here")
        return nil
      }
    }
    var section = ReportSection(
      title: optionalString(node["title"], key: "report.title"),
      caption: optionalString(node["caption"], key: "report.caption"),
      paper: optionalString(node["paper"], key: "report.paper"), paperLocation: node["paper"]?.value.location,
      columns: [], rows: [], referenceOnly: [], ablation: [], location: node.location)
    if section.paper != nil, section.paper!.split(separator: ".").count != 2 {
      diagnostics.error(
        section.paperLocation!, "expected 'paper.table' for 'report.paper', found '\(section.paper!)'",
        hint: "write paper: vlbert.table4_ablation")
    }
    section.columns = reportColumns(node["columns"])
    section.rows = reportRows(node["rows"], variants: variants)
    section.referenceOnly = namedList(node["reference_only"], key: "report.reference_only")
    section.ablation = ablationEdges(node["ablation"], rows: variants)
    return section
  }

  private mutating func reportColumns(_ entry: SourceNode.Entry?) -> [ReportSection.Column] {
    let hint = "write columns: [{metric: vcr/q2a_val, paper: q2a_val, label: \"Q→A val\"}]"
    guard let entry else {
      diagnostics.error(root["report"]!.keyLocation, "missing required key 'columns' in 'report'", hint: hint)
      return []
    }
    guard let items = entry.value.items, !items.isEmpty else {
      typeError(entry.value, expected: "a non-empty list of columns", for: "report.columns", hint: hint)
      return []
    }
    var columns: [ReportSection.Column] = []
    for item in items {
      guard let fields = item.entries else {
        typeError(item, expected: "a mapping", for: "report.columns", hint: hint)
        continue
      }
      checkKeys(fields, known: Self.columnKeys, in: "a report column")
      guard case .string(let metric)? = item["metric"]?.value.scalar, !metric.isEmpty else {
        diagnostics.error(item.location, "a report column needs 'metric' (a metric name)", hint: hint)
        continue
      }
      let paper = optionalString(item["paper"], key: "paper")
      let label = optionalString(item["label"], key: "label") ?? metric
      var decimals = 1
      if let d = item["decimals"] {
        if case .int(let n)? = d.value.scalar, (0...6).contains(n) {
          decimals = n
        } else {
          typeError(d.value, expected: "an integer 0-6", for: "decimals")
        }
      }
      let higher = optionalBool(item["higher_is_better"], key: "higher_is_better", default: true)
      let findings = optionalBool(item["findings"], key: "findings", default: true)
      var aggregate = ReportSection.Aggregate.last
      if let a = item["aggregate"] {
        let names = ReportSection.Aggregate.allCases.map(\.rawValue)
        if case .string(let s)? = a.value.scalar, let value = ReportSection.Aggregate(rawValue: s) {
          aggregate = value
        } else {
          diagnostics.error(
            a.value.location, "expected one of \(names.joined(separator: ", ")) for 'aggregate'",
            hint: a.value.scalar?.stringValue.flatMap { NearestName.hint(for: $0, in: names) })
        }
      }
      if columns.contains(where: { $0.metric == metric && $0.aggregate == aggregate }) {
        diagnostics.error(
          item.location, "column '\(metric)' (\(aggregate.rawValue)) appears twice in 'report.columns'",
          hint: "give the second one another aggregate, or drop it")
        continue
      }
      columns.append(
        ReportSection.Column(
          metric: metric, paper: paper, label: label, decimals: decimals, higherIsBetter: higher,
          aggregate: aggregate, findings: findings, location: item.location,
          paperLocation: item["paper"]?.value.location))
    }
    return columns
  }

  private mutating func reportRows(_ entry: SourceNode.Entry?, variants: [String]) -> [ReportSection.Row] {
    var rows: [ReportSection.Row] = []
    if let entry {
      guard let fields = entry.value.entries else {
        typeError(entry.value, expected: "a mapping of variant -> paper row", for: "report.rows")
        return variants.map { ReportSection.Row(variant: $0, paper: nil, label: $0, paperLocation: nil) }
      }
      for field in fields {
        guard variants.contains(field.key) else {
          diagnostics.error(
            field.keyLocation, "report row '\(field.key)' is not a variant of this spec",
            hint: NearestName.hint(for: field.key, in: variants)
              ?? "variants: \(variants.joined(separator: ", "))")
          continue
        }
        switch field.value.kind {
        case .scalar(.string(let paper), _):
          rows.append(
            .init(variant: field.key, paper: paper, label: paper, paperLocation: field.value.location))
        case .scalar(.null, _):
          rows.append(.init(variant: field.key, paper: nil, label: field.key, paperLocation: nil))
        case .map(let inner):
          checkKeys(inner, known: Self.rowKeys, in: "a report row")
          let paper = optionalString(field.value["paper"], key: "paper")
          let label = optionalString(field.value["label"], key: "label") ?? paper ?? field.key
          rows.append(
            .init(
              variant: field.key, paper: paper, label: label,
              paperLocation: field.value["paper"]?.value.location))
        default:
          typeError(
            field.value, expected: "the paper's row name or {paper: ..., label: ...}",
            for: "report.rows.\(field.key)")
        }
      }
    }
    for variant in variants where !rows.contains(where: { $0.variant == variant }) {
      rows.append(.init(variant: variant, paper: nil, label: variant, paperLocation: nil))
    }
    return rows
  }

  private mutating func namedList(_ entry: SourceNode.Entry?, key: String) -> [ReportSection.Named] {
    guard let entry else { return [] }
    guard let items = entry.value.items else {
      typeError(entry.value, expected: "a list of names", for: key)
      return []
    }
    return items.compactMap { item in
      guard case .string(let name)? = item.scalar else {
        typeError(item, expected: "a string", for: key)
        return nil
      }
      return ReportSection.Named(name: name, location: item.location)
    }
  }

  private mutating func ablationEdges(_ entry: SourceNode.Entry?, rows: [String]) -> [ReportSection.Edge] {
    guard let entry else { return [] }
    guard let fields = entry.value.entries else {
      typeError(entry.value, expected: "a mapping of row -> the row it adds to", for: "report.ablation")
      return []
    }
    var edges: [ReportSection.Edge] = []
    for field in fields {
      guard rows.contains(field.key) else {
        diagnostics.error(
          field.keyLocation, "ablation row '\(field.key)' is not a variant of this spec",
          hint: NearestName.hint(for: field.key, in: rows))
        continue
      }
      guard case .string(let parent)? = field.value.scalar, rows.contains(parent) else {
        diagnostics.error(
          field.value.location, "ablation parent of '\(field.key)' must be a variant of this spec",
          hint: NearestName.hint(for: field.value.scalar?.stringValue ?? "", in: rows))
        continue
      }
      edges.append(.init(row: field.key, parent: parent, location: field.keyLocation))
    }
    return edges
  }
}

extension ReportSection.Column {
  /// The column's identity in a table: its metric, and the aggregate when it is not the last value, so one
  /// metric can be shown twice (`val_acc` and `val_acc#best`).
  public var key: String { aggregate == .last ? metric : "\(metric)#\(aggregate.rawValue)" }
}
