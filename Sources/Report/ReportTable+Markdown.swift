extension ReportTable {
  /// GitHub-flavoured Markdown: for each metric our mean ± std over seeds, then the paper's number.
  public func markdown() -> String {
    var header = ["Model", "n"]
    for column in columns { header += hasPaper ? ["\(column.label)", "paper"] : ["\(column.label)"] }
    var lines = ["| " + header.joined(separator: " | ") + " |"]
    lines.append("|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined())
    let best = Dictionary(uniqueKeysWithValues: columns.map { ($0.key, significantBest(in: $0)) })
    for (i, row) in rows.enumerated() {
      var cells: [String]
      switch row.kind {
      case .measured: cells = [row.label, row.completeness(columns: columns)]
      case .referenceOnly: cells = ["\(row.label) *(paper only)*", "–"]
      }
      for column in columns {
        let entry = row.cells[column.key] ?? Entry()
        cells.append(
          row.kind == .referenceOnly ? "–" : entry.markdownMeasured(column, bold: best[column.key] == i))
        if hasPaper { cells.append(entry.paper.map { $0.formatted(column.decimals) } ?? "–") }
      }
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    var out = "### \(title)\n\n"
    if let caption { out += "\(caption)\n\n" }
    return out + lines.joined(separator: "\n") + "\n"
  }
}

extension ReportTable.Entry {
  /// "73.2 ± 0.8", bold when significant, with the states of missing cells; "**hole**: 3 pending" when empty.
  func markdownMeasured(_ column: ReportTable.Column, bold: Bool) -> String {
    let missing = missingText
    guard let text = measuredText(decimals: column.decimals) else {
      return "**hole**: \(missing ?? "not run")"
    }
    let value = bold ? "**\(text)**" : text
    return missing.map { "\(value) (\($0))" } ?? value
  }
}
