import Primitives

extension Report {
  /// The whole report as one self-contained HTML file: styles and plots (SVG) inline, no script, no
  /// network; prints on paper through the print rules of `htmlStyle`.
  public func htmlDocument(plots: [Plot]) -> String {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(table.title.xmlEscaped)</title>
    <style>
    \(Report.htmlStyle)
    </style>
    </head>
    <body>
    <main>
    \(htmlBody(plots: plots))
    </main>
    </body>
    </html>

    """
  }

  /// The report's content (heading, table, findings, plots, provenance) as an HTML fragment: the dashboard
  /// embeds this same fragment, so its report page is `ablate report --format html` to the character.
  public func htmlBody(plots: [Plot]) -> String {
    var out = "<h1>\(table.title.xmlEscaped)</h1>\n" + table.html()
    var notes: [String] = []
    if table.rows.contains(where: { $0.kind == .referenceOnly }) {
      notes.append(
        "<em>(paper only)</em>: a row the paper reports that <code>ablate</code> does not train; only the paper's numbers are shown."
      )
    }
    notes.append(
      "Holes are shown as <span class=\"hole\">hole</span> with the states of the missing cells; they are never averaged in."
    )
    out += "<p class=\"note\">" + notes.joined(separator: " ") + "</p>\n"
    if !findings.isEmpty { out += findingsHTML() }
    if !plots.isEmpty {
      out += "<h2>Plots</h2>\n"
      for plot in plots {
        out +=
          "<figure>\n\(Report.inlineSVG(plot.svg))<figcaption>\(plot.title.xmlEscaped)</figcaption>\n</figure>\n"
      }
    }
    out += "<h2>Provenance</h2>\n<ul class=\"provenance\">\n"
    for line in footer.lines { out += "<li>\(Report.codeSpans(line.xmlEscaped))</li>\n" }
    return out + "</ul>\n"
  }

  private func findingsHTML() -> String {
    let decimals = Dictionary(table.columns.map { ($0.label, $0.decimals) }, uniquingKeysWith: { a, _ in a })
    var out = "<h2>Findings: each row against the row it adds to</h2>\n<table class=\"findings\">\n"
    out += "<thead><tr><th scope=\"col\">Row</th><th scope=\"col\">adds to</th><th scope=\"col\">Metric</th>"
    out += "<th scope=\"col\" class=\"num\">ours Δ (± s.e.)</th>"
    if table.hasPaper { out += "<th scope=\"col\" class=\"num\">paper Δ</th>" }
    out += "<th scope=\"col\">verdict</th></tr></thead>\n<tbody>\n"
    for f in findings {
      let d = decimals[f.column] ?? 1
      var ours = f.ours.map { Report.signed($0, d) } ?? "–"
      if let se = f.oursStandardError, f.ours != nil { ours += " ± \(se.formatted(d))" }
      out += "<tr><td>\(f.row.xmlEscaped)</td><td>\(f.parent.xmlEscaped)</td><td>\(f.column.xmlEscaped)</td>"
      out += "<td class=\"num\">\(ours)</td>"
      if table.hasPaper { out += "<td class=\"num\">\(f.paper.map { Report.signed($0, d) } ?? "–")</td>" }
      out += "<td class=\"verdict\">\(f.verdict.rawValue.xmlEscaped)</td></tr>\n"
    }
    out += "</tbody>\n</table>\n"
    if let summary = findingsSummary {
      out += "<p><strong>\(summary.xmlEscaped).</strong> "
      out +=
        table.hasPaper
        ? "Directions are compared, not magnitudes: the synthetic world is not the paper's data."
        : "A change counts when it is more than two standard errors (from both rows' seeds) away from zero."
      out += "</p>\n"
    }
    return out
  }

  /// An SVG file's markup to put inside HTML: the XML declaration (if any) dropped, scaled to its box.
  static func inlineSVG(_ svg: String) -> String {
    var text = svg
    if text.hasPrefix("<?xml"), let end = text.range(of: "?>") { text = String(text[end.upperBound...]) }
    guard let open = text.range(of: "<svg ") else { return text }
    text.replaceSubrange(open, with: "<svg class=\"plot\" role=\"img\" ")
    return text
  }

  /// "`a`" -> "<code>a</code>", for the footer's Markdown-flavoured lines.
  static func codeSpans(_ text: String) -> String {
    let parts = text.split(separator: "`", omittingEmptySubsequences: false)
    guard parts.count >= 3, parts.count % 2 == 1 else { return text }
    return parts.enumerated().map { $0 % 2 == 1 ? "<code>\($1)</code>" : String($1) }.joined()
  }

  static func signed(_ x: Double, _ decimals: Int) -> String {
    (x >= 0 ? "+" : "") + x.formatted(decimals)
  }
}
