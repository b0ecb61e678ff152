import Foundation
import Mustache

extension Report {
  public struct TemplateError: Error, CustomStringConvertible {
    public var description: String
  }

  /// The Markdown report through a Mustache template (the embedded default, or a user's copy of
  /// `templates/report.md.mustache`); `plots` are (title, relative path) pairs to link.
  public func markdown(
    template: String = Report.defaultMarkdownTemplate, plots: [(title: String, path: String)] = []
  )
    throws(TemplateError) -> String
  {
    let compiled: MustacheTemplate
    do {
      compiled = try MustacheTemplate(string: template)
    } catch let error as MustacheTemplate.ParserError {
      throw TemplateError(
        description:
          "\(error.context.lineNumber):\(error.context.columnNumber): template does not parse: \(error.error)"
      )
    } catch {
      throw TemplateError(description: "1:1: template does not parse: \(error)")
    }
    return compiled.render(context(plots: plots))
  }

  /// The values a template sees; names are the template's vocabulary (documented in templates/README.md).
  func context(plots: [(title: String, path: String)]) -> [String: Any] {
    let best = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.key, table.significantBest(in: $0)) })
    let rows: [[String: Any]] = table.rows.enumerated().map { i, row in
      let cells: [[String: Any]] = table.columns.map { column in
        let entry = row.cells[column.key] ?? ReportTable.Entry()
        return [
          "ours": row.kind == .referenceOnly
            ? "–" : entry.markdownMeasured(column, bold: best[column.key] == i),
          "paper": entry.paper.map { $0.formatted(column.decimals) } ?? "–",
        ]
      }
      return [
        "label": row.kind == .referenceOnly ? "\(row.label) *(paper only)*" : row.label,
        "n": row.kind == .referenceOnly ? "–" : row.completeness(columns: table.columns),
        "cells": cells,
        // The same cells pre-joined (" ours | paper |" per column): one lookup per row keeps 10,000-cell reports fast.
        "cellsText": cells.map {
          table.hasPaper ? " \($0["ours"]!) | \($0["paper"]!) |" : " \($0["ours"]!) |"
        }
        .joined(),
      ]
    }
    let decimals = Dictionary(table.columns.map { ($0.label, $0.decimals) }, uniquingKeysWith: { a, _ in a })
    let findings: [[String: Any]] = self.findings.map { f in
      let d = decimals[f.column] ?? 1
      var ours = f.ours.map { signed($0, d) } ?? "–"
      if let se = f.oursStandardError, f.ours != nil { ours += " ± \(se.formatted(d))" }
      return [
        "row": f.row, "parent": f.parent, "column": f.column, "ours": ours,
        "paper": f.paper.map { signed($0, d) } ?? "–", "verdict": f.verdict.rawValue,
      ]
    }
    var context: [String: Any] = [
      "title": table.title, "hasPaper": table.hasPaper, "columns": table.columns.map { ["label": $0.label] },
      "rows": rows, "hasReferenceOnly": table.rows.contains { $0.kind == .referenceOnly },
      "hasFindings": !findings.isEmpty, "findings": findings, "findingsSummary": findingsSummary ?? "",
      "hasPlots": !plots.isEmpty, "plots": plots.map { ["title": $0.title, "path": $0.path] },
      "footer": footer.lines,
    ]
    if let caption = table.caption { context["caption"] = caption }
    return context
  }

  private func signed(_ x: Double, _ decimals: Int) -> String {
    (x >= 0 ? "+" : "") + x.formatted(decimals)
  }
}
