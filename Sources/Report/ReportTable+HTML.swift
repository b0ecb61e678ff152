import Primitives

extension ReportTable {
  /// The table as an HTML `<table>`: the same cells as the Markdown (mean ± std, n, holes with their states,
  /// bold only when significant), so a browser and `ablate report` show the same numbers.
  public func html() -> String {
    let best = Dictionary(uniqueKeysWithValues: columns.map { ($0.key, significantBest(in: $0)) })
    var out = "<table class=\"report\">\n"
    if let caption { out += "<caption>\(caption.xmlEscaped)</caption>\n" }
    out += "<thead><tr><th scope=\"col\">Model</th><th scope=\"col\" class=\"num\">n</th>"
    for column in columns {
      out += "<th scope=\"col\" class=\"num\">\(column.label.xmlEscaped)</th>"
      if hasPaper { out += "<th scope=\"col\" class=\"num paper\">paper</th>" }
    }
    out += "</tr></thead>\n<tbody>\n"
    for (i, row) in rows.enumerated() {
      let reference = row.kind == .referenceOnly
      out += reference ? "<tr class=\"reference\">" : "<tr>"
      out += "<th scope=\"row\">\(row.label.xmlEscaped)\(reference ? " <em>(paper only)</em>" : "")</th>"
      out += "<td class=\"num\">\(reference ? "–" : row.completeness(columns: columns))</td>"
      for column in columns {
        let entry = row.cells[column.key] ?? Entry()
        out +=
          "<td class=\"num\">\(reference ? "–" : entry.htmlMeasured(column, bold: best[column.key] == i))</td>"
        if hasPaper {
          out += "<td class=\"num paper\">\(entry.paper.map { $0.formatted(column.decimals) } ?? "–")</td>"
        }
      }
      out += "</tr>\n"
    }
    return out + "</tbody>\n</table>\n"
  }
}

extension ReportTable.Entry {
  /// "73.2 ± 0.8" (in `<strong>` when significant) with missing cells' states; a marked hole when empty.
  func htmlMeasured(_ column: ReportTable.Column, bold: Bool) -> String {
    let missing = missingText?.xmlEscaped
    guard let text = measuredText(decimals: column.decimals) else {
      return "<span class=\"hole\">hole</span>: \(missing ?? "not run")"
    }
    let value = bold ? "<strong>\(text)</strong>" : text
    return missing.map { "\(value) <span class=\"missing\">(\($0))</span>" } ?? value
  }
}
