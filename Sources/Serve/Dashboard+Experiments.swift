import Foundation
import Primitives
import Report
import Store

extension Dashboard {
  /// The states a summary shows, in the order a grid moves through them.
  static let shownStates: [CellStatus] = [
    .pending, .running, .done, .failed, .diverged, .timedOut, .interrupted,
  ]
  /// Cells per page of an experiment: a 10,000-cell grid stays a fast page.
  static let cellsPerPage = 200

  /// Every experiment with its live counts.
  func index() throws -> Page {
    let summaries = try store.experimentSummaries()
    var body = "<h1>Experiments</h1>\n"
    if summaries.isEmpty {
      body += "<p>The store has no cells yet: <code>ablate run SPEC</code> fills it.</p>\n"
    }
    body += "<table class=\"cells\" data-rows>\n<thead><tr><th scope=\"col\">experiment</th>"
    body += "<th scope=\"col\" class=\"num\">cells</th>"
    for state in Self.shownStates { body += "<th scope=\"col\" class=\"num\">\(state.rawValue)</th>" }
    body +=
      "<th scope=\"col\" class=\"num\">compute</th><th scope=\"col\">last activity</th><th scope=\"col\">report</th></tr></thead>\n<tbody>\n"
    for s in summaries {
      let link = "/experiments/\(Layout.component(s.name))"
      body += "<tr><th scope=\"row\"><a href=\"\(link)\">\(s.name.xmlEscaped)</a></th>"
      body += "<td class=\"num\" data-count=\"\(s.name.xmlEscaped)|total\">\(s.total)</td>"
      for state in Self.shownStates {
        body +=
          "<td class=\"num\" data-count=\"\(s.name.xmlEscaped)|\(state.rawValue)\">\(s.counts[state] ?? 0)</td>"
      }
      body +=
        "<td class=\"num\" data-count=\"\(s.name.xmlEscaped)|compute\">\(Layout.duration(s.seconds))</td>"
      body += "<td>\(Layout.time(s.lastActivity))</td><td>"
      body +=
        specs.filter { $0.spec.name == s.name }.map {
          "<a href=\"/reports/\(Layout.component($0.spec.name))\">table</a>"
        }.first ?? "–"
      body += "</td></tr>\n"
    }
    body += "</tbody>\n</table>\n"
    let served = specs.filter { spec in !summaries.contains { $0.name == spec.spec.name } }
    if !served.isEmpty {
      body += "<h2>Specs not run yet</h2>\n<ul>\n"
      for s in served {
        body +=
          "<li><a href=\"/reports/\(Layout.component(s.spec.name))\">\(s.spec.name.xmlEscaped)</a> (\(s.path.xmlEscaped), \(s.cells.count) cells)</li>\n"
      }
      body += "</ul>\n"
    }
    return .html(Layout.page(title: "Experiments", body: body, live: "/api/experiments"))
  }

  /// One experiment: its counts, failures with their stderr tails, and a page of its cells.
  func experiment(_ name: String, page: Int) throws -> Page {
    let summary = try summary(name)
    let all = try store.cells(experiment: name)
    let pages = max(1, (all.count + Self.cellsPerPage - 1) / Self.cellsPerPage)
    guard page <= pages else { throw DashboardError.notFound("\(name) has \(pages) pages of cells") }
    let shown = Array(all[((page - 1) * Self.cellsPerPage)..<min(all.count, page * Self.cellsPerPage)])
    let finals = try store.finalMetrics(cellIDs: shown.map(\.id))
    let metrics = Set(finals.values.flatMap { $0.map(\.name) }).filter { !$0.hasPrefix("stages/") }.sorted()

    var body = "<h1>\(name.xmlEscaped)</h1>\n<p class=\"counts\">"
    body += "<span data-count=\"\(name.xmlEscaped)|total\">\(summary.total)</span> cells: "
    body +=
      Self.shownStates.map {
        "\($0.rawValue) <strong data-count=\"\(name.xmlEscaped)|\($0.rawValue)\">\(summary.counts[$0] ?? 0)</strong>"
      }.joined(separator: " · ")
    body +=
      " · compute <span data-count=\"\(name.xmlEscaped)|compute\">\(Layout.duration(summary.seconds))</span></p>\n"
    body += "<p class=\"actions\">"
    var actions: [String] = []
    if specs.contains(where: { $0.spec.name == name }) {
      actions.append("<a href=\"/reports/\(Layout.component(name))\">report table</a>")
    }
    let curveMetrics = Set(finals.values.flatMap { $0.map(\.name) }).filter {
      !$0.hasPrefix("stages/") && !$0.hasPrefix("time/")
    }.sorted()
    for metric in curveMetrics.prefix(6) {
      actions.append(
        "<a href=\"\(Layout.link("/experiments/\(Layout.component(name))/curves", [("metric", metric)]).xmlEscaped)\">\(metric.xmlEscaped) curves</a>"
      )
    }
    body += actions.joined(separator: " · ") + "</p>\n"
    body += compareForm(experiment: name, variants: Self.unique(all.map(\.variant)))

    let failures = try store.failures(experiment: name, limit: 20)
    if !failures.isEmpty {
      body += "<h2>Failures (\(summary.failures))</h2>\n"
      for cell in failures {
        body += "<details open><summary><a href=\"/cells/\(cell.id)\"><code>\(cell.id.prefix(12))</code></a> "
        body += "\(cell.variant.xmlEscaped), seed \(cell.seed): \(Layout.badge(cell.status.rawValue))"
        body += cell.exitCode.map { " (exit code \($0))" } ?? ""
        body +=
          "</summary>\n<pre class=\"stderr\">\((cell.errorText ?? "(no stderr recorded)").xmlEscaped)</pre></details>\n"
      }
    }

    body += "<h2>Cells\(pages > 1 ? " (page \(page) of \(pages))" : "")</h2>\n"
    body +=
      "<label class=\"filter\">Filter rows <input type=\"search\" data-filter placeholder=\"variant, state, seed…\"></label>\n"
    body +=
      "<table class=\"cells\" data-rows>\n<thead><tr><th scope=\"col\">cell</th><th scope=\"col\">variant</th>"
    body += "<th scope=\"col\">grid</th><th scope=\"col\" class=\"num\">seed</th><th scope=\"col\">state</th>"
    body += "<th scope=\"col\" class=\"num\">attempt</th><th scope=\"col\" class=\"num\">duration</th>"
    for m in metrics { body += "<th scope=\"col\" class=\"num\">\(m.xmlEscaped)</th>" }
    body += "</tr></thead>\n<tbody>\n"
    for cell in shown {
      let values = Dictionary((finals[cell.id] ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
      body += "<tr><td><a href=\"/cells/\(cell.id)\"><code>\(cell.id.prefix(12))</code></a></td>"
      body += "<td>\(cell.variant.xmlEscaped)</td><td>\(Self.gridText(cell.gridPointJSON).xmlEscaped)</td>"
      body += "<td class=\"num\">\(cell.seed)</td><td>\(Layout.badge(cell.status.rawValue))</td>"
      body += "<td class=\"num\">\(cell.attempt)</td><td class=\"num\">\(Layout.duration(cell.duration))</td>"
      for m in metrics { body += "<td class=\"num\">\(values[m].map(Layout.metric) ?? "–")</td>" }
      body += "</tr>\n"
    }
    body += "</tbody>\n</table>\n"
    if pages > 1 {
      body += "<nav class=\"pages\" aria-label=\"pages\">"
      if page > 1 { body += "<a rel=\"prev\" href=\"?page=\(page - 1)\">← previous</a> " }
      if page < pages { body += "<a rel=\"next\" href=\"?page=\(page + 1)\">next →</a>" }
      body += "</nav>\n"
    }
    return .html(Layout.page(title: name, body: body, live: "/api/experiments"))
  }

  /// Every experiment's counts as JSON, for the pages' short poll.
  func experimentsJSON() throws -> Page {
    let summaries = try store.experimentSummaries()
    let objects: [[String: Any]] = summaries.map { s in
      var counts: [String: Any] = ["total": s.total, "compute": Layout.duration(s.seconds)]
      for state in Self.shownStates { counts[state.rawValue] = s.counts[state] ?? 0 }
      return ["name": s.name, "counts": counts]
    }
    let data =
      (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])) ?? Data("[]".utf8)
    return .json(String(decoding: data, as: UTF8.self))
  }

  /// `{"epochs":20}` -> "epochs=20"; "–" without a grid.
  static func gridText(_ json: String) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
      !object.isEmpty
    else { return "–" }
    return object.keys.sorted().map { "\($0)=\(object[$0].map { "\($0)" } ?? "")" }.joined(separator: ", ")
  }

  static func unique(_ xs: [String]) -> [String] {
    var seen = Set<String>()
    return xs.filter { seen.insert($0).inserted }
  }
}
