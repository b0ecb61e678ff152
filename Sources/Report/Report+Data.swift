import Foundation
import Primitives
import Spec

extension Report {
  /// One line per (row, metric): row, kind, metric, n, mean, std, paper value, holes (states of missing cells).
  public func csv() -> String {
    var lines = ["row,kind,metric,n,mean,std,paper,holes"]
    for (row, column, entry) in entries() {
      let fields = [
        row.label, row.kind.rawValue, column.key, String(entry.measured.n),
        entry.measured.mean.map { String($0) } ?? "", entry.measured.std.map { String($0) } ?? "",
        entry.paper.map { String($0) } ?? "", entry.missingText ?? "",
      ]
      lines.append(fields.map(\.csvField).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The same facts as `csv()`, one object per (row, metric), plus the findings and the provenance footer.
  public func json() -> String {
    func number(_ x: Double?) -> ConfigValue { x.map { $0.isFinite ? .double($0) : .null } ?? .null }
    let cells: [ConfigValue] = entries().map { row, column, entry in
      .object([
        "row": .string(row.label), "kind": .string(row.kind.rawValue), "metric": .string(column.key),
        "n": .int(entry.measured.n), "mean": number(entry.measured.mean), "std": number(entry.measured.std),
        "paper": number(entry.paper), "holes": .array(entry.missing.map(ConfigValue.string)),
      ])
    }
    let findings: [ConfigValue] = self.findings.map { f in
      .object([
        "row": .string(f.row), "parent": .string(f.parent), "metric": .string(f.column),
        "ours": number(f.ours),
        "ours_se": number(f.oursStandardError), "paper": number(f.paper),
        "verdict": .string(f.verdict.rawValue),
      ])
    }
    let object: ConfigValue = .object([
      "title": .string(table.title), "cells": .array(cells), "findings": .array(findings),
      "provenance": .array(footer.lines.map(ConfigValue.string)),
    ])
    return object.canonicalJSON + "\n"
  }

  private func entries() -> [(ReportTable.Row, ReportTable.Column, ReportTable.Entry)] {
    table.rows.flatMap { row in table.columns.map { (row, $0, row.cells[$0.key] ?? ReportTable.Entry()) } }
  }

  /// The LaTeX (booktabs) table, with the findings summary and provenance as a comment block. Rendered by
  /// `ReportTable.latex()` rather than a template: a booktabs layout has nothing a template would vary.
  public func latex() -> String {
    var out = table.latex()
    if let summary = findingsSummary { out += "% \(summary)\n" }
    for f in findings {
      out +=
        "% \(f.row) vs \(f.parent), \(f.column): ours \(f.ours.map { String(format: "%+.2f", $0) } ?? "-"), "
      out += "paper \(f.paper.map { String(format: "%+.2f", $0) } ?? "-"): \(f.verdict.rawValue)\n"
    }
    for line in footer.lines { out += "% \(line)\n" }
    return out
  }
}
