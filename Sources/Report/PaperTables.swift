import Spec
import Yams

/// The published numbers reports set beside ours: `paper.table` -> columns and named rows.
///
/// Rows are named by their `model` or `setting`; `null` values are numbers the paper does not report.
public struct PaperTables: Sendable {
  public struct Table: Sendable, Equatable {
    public var caption: String?
    public var columns: [String]
    public var rows: [Row]

    public func row(_ name: String) -> Row? { rows.first { $0.name == name } }
    public func value(row: String, column: String) -> Double? {
      guard let r = self.row(row), let c = columns.firstIndex(of: column), c < r.values.count else {
        return nil
      }
      return r.values[c]
    }
  }

  public struct Row: Sendable, Equatable {
    public var name: String
    public var values: [Double?]
  }

  /// "vlbert.table4_ablation" -> table.
  public var tables: [String: Table]

  public struct ParseError: Error, CustomStringConvertible {
    public var description: String
  }

  /// The numbers shipped in the binary (identical to `reference/paper-tables.yaml`).
  public static func embedded() -> PaperTables {
    // The embedded text is checked by a test, so failing here is a build defect, not bad input.
    try! parse(yaml: embeddedYAML)
  }

  public static func parse(yaml: String) throws -> PaperTables {
    guard let root = try Yams.load(yaml: yaml) as? [String: Any] else {
      throw ParseError(description: "paper tables: expected a mapping of papers")
    }
    var tables: [String: Table] = [:]
    for (paper, value) in root {
      guard let paperTables = value as? [String: Any] else { continue }
      for (name, value) in paperTables {
        guard let table = value as? [String: Any], let columns = table["columns"] as? [String],
          let rows = table["rows"] as? [[String: Any]]
        else { continue }
        let parsed = try rows.map { row -> Row in
          guard let name = (row["model"] ?? row["setting"]) as? String, let values = row["values"] as? [Any]
          else {
            throw ParseError(
              description: "paper tables: \(paper).\(name): a row needs 'model' or 'setting' and 'values'")
          }
          return Row(name: name, values: values.map { ($0 as? Double) ?? ($0 as? Int).map(Double.init) })
        }
        tables["\(paper).\(name)"] = Table(
          caption: table["caption"] as? String, columns: columns, rows: parsed)
      }
    }
    return PaperTables(tables: tables)
  }

  /// Problems with a spec's `report:` section that only the paper's numbers can reveal: an unknown paper table,
  /// row or column. Located like every other spec error.
  public func check(_ section: ReportSection, file: String) -> [SpecError] {
    var errors: [SpecError] = []
    func error(_ at: SourceLocation?, _ message: String, hint: String?) {
      let at = at ?? section.location
      errors.append(SpecError(file: at.file, line: at.line, column: at.column, message: message, hint: hint))
    }
    let wantsPaper =
      section.columns.contains { $0.paper != nil } || section.rows.contains { $0.paper != nil }
      || !section.referenceOnly.isEmpty
    guard let name = section.paper else {
      if wantsPaper {
        error(
          section.location, "report names paper rows or columns but no 'paper' table",
          hint: "add paper: (one of " + tables.keys.sorted().joined(separator: ", ")
            + "), or write a row without a paper row as {label: ...}")
      }
      return errors
    }
    guard let table = tables[name] else {
      error(
        section.paperLocation, "unknown paper table '\(name)'",
        hint: "known: " + tables.keys.sorted().joined(separator: ", "))
      return errors
    }
    let rowNames = table.rows.map(\.name)
    for column in section.columns {
      if let paper = column.paper, !table.columns.contains(paper) {
        error(
          column.paperLocation, "paper table '\(name)' has no column '\(paper)'",
          hint: "its columns: " + table.columns.joined(separator: ", "))
      }
    }
    for row in section.rows {
      if let paper = row.paper, table.row(paper) == nil {
        error(
          row.paperLocation, "paper table '\(name)' has no row '\(paper)'",
          hint: "its rows: " + rowNames.joined(separator: "; "))
      }
    }
    for named in section.referenceOnly where table.row(named.name) == nil {
      error(
        named.location, "paper table '\(name)' has no row '\(named.name)'",
        hint: "its rows: " + rowNames.joined(separator: "; "))
    }
    return errors
  }
}
