import Foundation
import Primitives
import Report
import Store

extension Dashboard {
  /// Two cells (`?a=ID&b=ID`) or two variants of an experiment (`?experiment=E&a=V&b=W`), side by side.
  func compare(_ query: [String: String]) throws -> Page {
    if let experiment = query["experiment"] { return try compareVariants(experiment, query["a"], query["b"]) }
    guard let a = query["a"] else { throw DashboardError.badRequest("compare needs ?a=CELL&b=CELL") }
    let left = try record(try Self.cellID(a))
    guard let b = query["b"], !b.isEmpty else {
      // Pick the second cell: the other cells of the same experiment.
      let others = try store.cells(experiment: left.experiment).filter { $0.id != left.id }.prefix(200)
      var body = "<h1>Compare <code>\(left.id.prefix(12))</code> with…</h1>\n<ul>\n"
      for o in others {
        body +=
          "<li><a href=\"\(Layout.link("/compare", [("a", left.id), ("b", o.id)]).xmlEscaped)\"><code>\(o.id.prefix(12))</code> \(o.variant.xmlEscaped), seed \(o.seed)</a> \(Layout.badge(o.status.rawValue))</li>\n"
      }
      return .html(Layout.page(title: "compare", body: body + "</ul>\n"))
    }
    let right = try record(try Self.cellID(b))
    let finals = try store.finalMetrics(cellIDs: [left.id, right.id])
    let names = Set((finals[left.id] ?? []).map(\.name) + (finals[right.id] ?? []).map(\.name)).sorted()
    let value = { (id: String, name: String) in finals[id]?.first(where: { $0.name == name })?.value }

    var body = "<h1>Compare two cells</h1>\n<table class=\"compare\"><thead><tr><th scope=\"col\"></th>"
    for r in [left, right] {
      body +=
        "<th scope=\"col\"><a href=\"/cells/\(r.id)\"><code>\(r.id.prefix(12))</code></a><br>\(r.variant.xmlEscaped), seed \(r.seed)</th>"
    }
    body += "<th scope=\"col\" class=\"num\">b − a</th></tr></thead><tbody>\n"
    body +=
      "<tr><th scope=\"row\">state</th><td>\(Layout.badge(left.status.rawValue))</td><td>\(Layout.badge(right.status.rawValue))</td><td></td></tr>\n"
    for name in names {
      let x = value(left.id, name), y = value(right.id, name)
      body +=
        "<tr><th scope=\"row\">\(name.xmlEscaped)</th><td class=\"num\">\(x.map(Layout.metric) ?? "–")</td><td class=\"num\">\(y.map(Layout.metric) ?? "–")</td>"
      body += "<td class=\"num\">\(x.flatMap { x in y.map { Layout.metric($0 - x) } } ?? "–")</td></tr>\n"
    }
    body += "</tbody></table>\n<h2>Config differences</h2>\n"
    body += Self.configDiff(left.configJSON, right.configJSON)
    let shared = Set(try store.metricPoints(cellID: left.id).map(\.name)).intersection(
      try store.metricPoints(cellID: right.id).map(\.name))
    for name in shared.sorted() {
      let a = try store.metricPoints(cellID: left.id, name: name),
        b = try store.metricPoints(cellID: right.id, name: name)
      guard a.count > 1 || b.count > 1 else { continue }
      body +=
        "<figure class=\"curve\">\n"
        + Self.curveSVG(
          name: name,
          series: [
            ("a: \(left.variant), seed \(left.seed)", a), ("b: \(right.variant), seed \(right.seed)", b),
          ], smoothing: 0) + "</figure>\n"
    }
    return .html(Layout.page(title: "compare", body: body))
  }

  /// Two variants: each final metric's mean ± std over the variants' done cells, and the difference.
  func compareVariants(_ experiment: String, _ a: String?, _ b: String?) throws -> Page {
    _ = try summary(experiment)
    guard let a, let b else {
      throw DashboardError.badRequest("compare needs ?experiment=E&a=VARIANT&b=VARIANT")
    }
    let cells = try store.cells(experiment: experiment)
    for v in [a, b] where !cells.contains(where: { $0.variant == v }) {
      throw DashboardError.notFound("\(experiment) has no variant '\(v)'")
    }
    let done = { (v: String) in cells.filter { $0.variant == v && $0.status == .done } }
    let finals = try store.finalMetrics(cellIDs: (done(a) + done(b)).map(\.id))
    let names = Set(finals.values.flatMap { $0.map(\.name) }).filter { !$0.hasPrefix("stages/") }.sorted()
    let summary = { (v: String, name: String) in
      Summary(
        done(v).compactMap { c in finals[c.id]?.first(where: { $0.name == name })?.value }.filter(\.isFinite))
    }
    var body = "<h1>\(experiment.xmlEscaped): \(a.xmlEscaped) vs \(b.xmlEscaped)</h1>\n"
    body +=
      "<table class=\"compare\"><thead><tr><th scope=\"col\">metric</th><th scope=\"col\" class=\"num\">\(a.xmlEscaped) (n=\(done(a).count))</th><th scope=\"col\" class=\"num\">\(b.xmlEscaped) (n=\(done(b).count))</th><th scope=\"col\" class=\"num\">b − a</th></tr></thead><tbody>\n"
    for name in names {
      let x = summary(a, name), y = summary(b, name)
      body +=
        "<tr><th scope=\"row\">\(name.xmlEscaped)</th><td class=\"num\">\(Self.meanStd(x))</td><td class=\"num\">\(Self.meanStd(y))</td>"
      body +=
        "<td class=\"num\">\(x.mean.flatMap { x in y.mean.map { Layout.metric($0 - x) } } ?? "–")</td></tr>\n"
    }
    body += "</tbody></table>\n"
    return .html(Layout.page(title: "compare", body: body))
  }

  /// A form to pick two variants of an experiment.
  func compareForm(experiment: String, variants: [String]) -> String {
    guard variants.count >= 2 else { return "" }
    let options = { (selected: String) in
      variants.map { "<option\($0 == selected ? " selected" : "")>\($0.xmlEscaped)</option>" }.joined()
    }
    return """
      <form class="compare" action="/compare" method="get"><input type="hidden" name="experiment" value="\(experiment.xmlEscaped)">
      <label>compare <select name="a">\(options(variants[0]))</select></label>
      <label>with <select name="b">\(options(variants[1]))</select></label> <button type="submit">compare</button></form>

      """
  }

  static func meanStd(_ s: Summary) -> String {
    guard let mean = s.mean else { return "–" }
    return s.std.map { "\(Layout.metric(mean)) ± \(Layout.metric($0))" } ?? "\(Layout.metric(mean)) (n=1)"
  }

  /// The keys whose values differ between two configs (dotted paths), as a table.
  static func configDiff(_ a: String, _ b: String) -> String {
    func flatten(_ json: String) -> [String: String] {
      guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [:] }
      var out: [String: String] = [:]
      func walk(_ value: Any, _ path: String) {
        if let dict = value as? [String: Any] {
          for (k, v) in dict { walk(v, path.isEmpty ? k : "\(path).\(k)") }
        } else if let data = try? JSONSerialization.data(
          withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        {
          out[path] = String(decoding: data, as: UTF8.self)
        }
      }
      walk(object, "")
      return out
    }
    let x = flatten(a), y = flatten(b)
    let keys = Set(x.keys).union(y.keys).filter { x[$0] != y[$0] }.sorted()
    guard !keys.isEmpty else { return "<p>Same config.</p>\n" }
    var out =
      "<table class=\"compare\"><thead><tr><th scope=\"col\">key</th><th scope=\"col\">a</th><th scope=\"col\">b</th></tr></thead><tbody>\n"
    for k in keys {
      out +=
        "<tr><th scope=\"row\"><code>\(k.xmlEscaped)</code></th><td><code>\((x[k] ?? "–").xmlEscaped)</code></td><td><code>\((y[k] ?? "–").xmlEscaped)</code></td></tr>\n"
    }
    return out + "</tbody></table>\n"
  }
}
