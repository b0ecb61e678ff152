import Foundation
import Primitives
import Report
import Store

extension Dashboard {
  /// A served spec's report: the HTML fragment `ablate report --format html` writes, with its plots.
  func report(_ name: String, smoothing: Double) throws -> Page {
    guard let served = specs.first(where: { $0.spec.name == name }) else {
      throw DashboardError.notFound("no spec named '\(name)' was given to ablate serve (--spec)")
    }
    let report = try Report.build(
      spec: served.spec, cells: served.cells, store: store, paper: paper, command: served.command,
      curves: true, bookkeeping: served.bookkeeping)
    let body =
      "<p class=\"actions no-print\"><a href=\"/experiments/\(Layout.component(name))\">cells</a> · smoothing: "
      + [0, 0.6, 0.9].map { w in
        w == smoothing
          ? "<strong>\(w == 0 ? "raw" : "\(w)")</strong>"
          : "<a href=\"\(Layout.link("/reports/\(Layout.component(name))", w == 0 ? [] : [("smoothing", "\(w)")]).xmlEscaped)\">\(w == 0 ? "raw" : "\(w)")</a>"
      }.joined(separator: " · ") + "</p>\n"
      + report.htmlBody(plots: report.plots(prefix: "report", smoothing: smoothing))
    return .html(Layout.page(title: report.table.title, body: body))
  }

  /// Curves of one metric across an experiment: one line per variant and grid point, mean ± std over seeds.
  func experimentCurves(_ name: String, metric: String?, smoothing: Double) throws -> Page {
    _ = try summary(name)
    guard let metric, !metric.isEmpty else { throw DashboardError.badRequest("curves need ?metric=NAME") }
    let cells = try store.cells(experiment: name).filter { $0.status == .done || $0.status == .running }
    var groups: [(label: String, seeds: [[MetricPoint]])] = []
    var order: [String] = []
    var byKey: [String: [CellRecord]] = [:]
    for cell in cells {
      let key = cell.variant + "|" + cell.gridPointJSON
      if byKey[key] == nil { order.append(key) }
      byKey[key, default: []].append(cell)
    }
    // Eight lines are as many as a reader can tell apart; the rest are listed, not drawn.
    let drawn = order.prefix(8)
    for key in drawn {
      let members = byKey[key]!
      let points = try store.metricPoints(cellIDs: members.map(\.id), name: metric)
      let seeds = members.compactMap { points[$0.id] }
      guard !seeds.isEmpty else { continue }
      let grid = Self.gridText(members[0].gridPointJSON)
      groups.append(((grid == "–" ? members[0].variant : "\(members[0].variant) (\(grid))"), seeds))
    }
    guard !groups.isEmpty else {
      throw DashboardError.notFound("no curve '\(metric)' among \(name)'s done or running cells")
    }
    var body = "<h1>\(name.xmlEscaped): \(metric.xmlEscaped)</h1>\n"
    body +=
      "<p>Mean ± std over seeds, one line per variant and grid point\(order.count > drawn.count ? " (the first \(drawn.count) of \(order.count))" : "").</p>\n"
    body +=
      "<figure class=\"curve\">\n\(Self.curveSVG(name: metric, groups: groups, smoothing: smoothing))</figure>\n"
    return .html(Layout.page(title: "\(name) \(metric)", body: body))
  }
}
