extension ReportTable {
  /// A booktabs table for a paper: same facts as the Markdown, paper numbers in grey beside ours.
  public func latex() -> String {
    let spec = "l" + String(repeating: hasPaper ? "rr" : "r", count: columns.count)
    var out = "\\begin{table}[t]\n\\centering\n\\small\n\\begin{tabular}{\(spec)}\n\\toprule\n"
    if hasPaper {
      let heads = columns.map { "\\multicolumn{2}{c}{\(escape($0.label))}" }
      out += "Model & " + heads.joined(separator: " & ") + " \\\\\n"
      out += columns.indices.map { "\\cmidrule(lr){\(2 + 2 * $0)-\(3 + 2 * $0)}" }.joined() + "\n"
      out += " & " + columns.map { _ in "ours & paper" }.joined(separator: " & ") + " \\\\\n\\midrule\n"
    } else {
      out += "Model & " + columns.map { escape($0.label) }.joined(separator: " & ") + " \\\\\n\\midrule\n"
    }
    let best = Dictionary(uniqueKeysWithValues: columns.map { ($0.key, significantBest(in: $0)) })
    for (i, row) in rows.enumerated() {
      var cells = [escape(row.label) + (row.kind == .referenceOnly ? "$^\\dagger$" : "")]
      for column in columns {
        let entry = row.cells[column.key] ?? Entry()
        if row.kind == .referenceOnly {
          cells.append("--")
        } else if let text = entry.measuredText(decimals: column.decimals, plusMinus: "$\\pm$") {
          let value = best[column.key] == i ? "\\textbf{\(text)}" : text
          cells.append(value + (entry.missingText.map { " \\textit{(\(escape($0)))}" } ?? ""))
        } else {
          cells.append("\\textit{\(escape(entry.missingText ?? "not run"))}")
        }
        if hasPaper {
          cells.append(entry.paper.map { "\\textcolor{gray}{\($0.formatted(column.decimals))}" } ?? "--")
        }
      }
      out += cells.joined(separator: " & ") + " \\\\\n"
    }
    out += "\\bottomrule\n\\end{tabular}\n"
    var caption = escape(caption ?? title)
    if let last = caption.last, !".!?".contains(last) { caption += "." }
    if rows.contains(where: { $0.kind == .referenceOnly }) {
      caption += " $^\\dagger$Paper's number only; not trained by ablate."
    }
    out += "\\caption{\(caption) Ours: mean $\\pm$ sample std over seeds; bold: better than the runner-up"
    out += " by Welch's t-test, $p<0.05$.}\n\\end{table}\n"
    return out
  }

  private func escape(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "&", "%", "$", "#", "_", "{", "}": out += "\\\(c)"
      case "~": out += "\\textasciitilde{}"
      case "^": out += "\\textasciicircum{}"
      case "\\": out += "\\textbackslash{}"
      case "→": out += "$\\rightarrow$"
      default: out.append(c)
      }
    }
    return out
  }
}
