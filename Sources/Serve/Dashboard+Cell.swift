import Foundation
import Primitives
import Report
import Store

extension Dashboard {
  /// One cell: state, config, provenance, final metrics, curves and artifacts.
  func cell(_ id: String, smoothing: Double) throws -> Page {
    let record = try record(id)
    let finals = try store.finalMetrics(cellIDs: [id])[id] ?? []
    let points = try store.metricPoints(cellID: id)
    let artifacts = try store.artifacts(cellID: id)

    var body = "<h1>Cell <code>\(id.prefix(12))</code></h1>\n<dl class=\"facts\">\n"
    let facts: [(String, String)] = [
      ("id", "<code>\(id)</code>"),
      (
        "experiment",
        "<a href=\"/experiments/\(Layout.component(record.experiment))\">\(record.experiment.xmlEscaped)</a>"
      ),
      ("variant", record.variant.xmlEscaped), ("grid", Self.gridText(record.gridPointJSON).xmlEscaped),
      ("seed", "\(record.seed)"),
      ("state", "\(Layout.badge(record.status.rawValue)) (attempt \(record.attempt))"),
      ("trainer", "<code>\(record.trainer.xmlEscaped)</code>"), ("started", Layout.time(record.startedAt)),
      ("duration", Layout.duration(record.duration)), ("exit code", record.exitCode.map(String.init) ?? "–"),
    ]
    for (k, v) in facts { body += "<dt>\(k)</dt><dd>\(v)</dd>\n" }
    body += "</dl>\n"
    body +=
      "<p class=\"actions\"><a href=\"\(Layout.link("/compare", [("a", id)]).xmlEscaped)\">compare with…</a></p>\n"
    if let error = record.errorText, !error.isEmpty {
      body += "<h2>stderr (tail)</h2>\n<pre class=\"stderr\">\(error.xmlEscaped)</pre>\n"
    }

    body += "<h2>Final metrics</h2>\n"
    if finals.isEmpty {
      body += "<p>None yet.</p>\n"
    } else {
      body +=
        "<table class=\"metrics\"><thead><tr><th scope=\"col\">metric</th><th scope=\"col\" class=\"num\">value</th><th scope=\"col\" class=\"num\">step</th></tr></thead><tbody>\n"
      for m in finals {
        body +=
          "<tr><th scope=\"row\">\(m.name.xmlEscaped)</th><td class=\"num\" data-metric=\"\(m.name.xmlEscaped)\">\(Layout.metric(m.value))</td><td class=\"num\">\(m.step.map(String.init) ?? "–")</td></tr>\n"
      }
      body += "</tbody></table>\n"
    }

    let curves = Dictionary(grouping: points, by: \.name).filter { $0.value.count > 1 }
    if !curves.isEmpty {
      body += "<h2>Curves</h2>\n<p class=\"actions\">smoothing: "
      body += [0, 0.6, 0.9].map { w in
        w == smoothing
          ? "<strong>\(w == 0 ? "raw" : "\(w)")</strong>"
          : "<a href=\"\(Layout.link("/cells/\(id)", w == 0 ? [] : [("smoothing", "\(w)")]).xmlEscaped)\">\(w == 0 ? "raw" : "\(w)")</a>"
      }.joined(separator: " · ")
      body += "</p>\n"
      for name in curves.keys.sorted() {
        body += "<figure class=\"curve\" data-curve=\"\(name.xmlEscaped)\">\n"
        body += Self.curveSVG(
          name: name, series: [(record.variant + ", seed \(record.seed)", curves[name]!)],
          smoothing: smoothing)
        body += "<figcaption>\(name.xmlEscaped): \(curves[name]!.count) points</figcaption></figure>\n"
      }
    }

    if !artifacts.isEmpty {
      body +=
        "<h2>Artifacts</h2>\n<table class=\"artifacts\"><thead><tr><th scope=\"col\">file</th><th scope=\"col\" class=\"num\">bytes</th><th scope=\"col\">sha256</th></tr></thead><tbody>\n"
      for a in artifacts {
        let href =
          "/cells/\(id)/artifacts/"
          + a.path.split(separator: "/").map { Layout.component(String($0)) }.joined(separator: "/")
        body +=
          "<tr><td><a href=\"\(href)\">\(a.path.xmlEscaped)</a></td><td class=\"num\">\(a.bytes)</td><td><code>\(a.sha256.prefix(16))</code></td></tr>\n"
      }
      body += "</tbody></table>\n"
    }

    body += "<h2>Config</h2>\n<pre class=\"config\">\(Self.prettyJSON(record.configJSON).xmlEscaped)</pre>\n"
    body += try provenanceHTML(record)
    return .html(Layout.page(title: "cell \(id.prefix(12))", body: body))
  }

  /// One metric's curve of one cell as an SVG picture.
  func cellCurve(_ id: String, metric: String, smoothing: Double) throws -> Page {
    let record = try record(id)
    let points = try store.metricPoints(cellID: id, name: metric)
    guard !points.isEmpty else {
      throw DashboardError.notFound("cell \(id.prefix(12)) has no curve '\(metric)'")
    }
    return .svg(
      Self.curveSVG(
        name: metric, series: [("\(record.variant), seed \(record.seed)", points)], smoothing: smoothing))
  }

  /// A recorded artifact of the cell, read from its output directory inside the store's folder.
  func artifact(_ id: String, path: String) throws -> Page {
    let record = try record(id)
    guard try store.artifacts(cellID: id).contains(where: { $0.path == path }), let dir = record.outputDir
    else {
      throw DashboardError.notFound("cell \(id.prefix(12)) has no artifact '\(path)'")
    }
    let file = URL(fileURLWithPath: dir).appendingPathComponent(path).resolvingSymlinksInPath()
      .standardizedFileURL.path
    guard file.hasPrefix(storeFolder + "/") else {
      throw DashboardError.notFound("artifact '\(path)' is outside the store's folder")
    }
    guard let data = FileManager.default.contents(atPath: file) else {
      throw DashboardError.notFound("artifact '\(path)' is recorded but no longer on disk")
    }
    let ext = (path as NSString).pathExtension.lowercased()
    let type =
      ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"][ext]
      ?? (["txt", "log", "json", "jsonl", "csv", "yaml", "yml", "md", "tsv"].contains(ext)
        ? "text/plain; charset=utf-8" : "application/octet-stream")
    return Page(contentType: type, body: [UInt8](data))
  }

  /// Commit, branch, dirty flag and patch of the cell's run; host and toolchain.
  func provenanceHTML(_ record: CellRecord) throws -> String {
    guard let pid = record.provenanceID, let provenance = try store.provenance(id: pid) else {
      return "<h2>Provenance</h2>\n<p>Not recorded yet.</p>\n"
    }
    var out = "<h2>Provenance</h2>\n"
    if let object = try? JSONSerialization.jsonObject(with: Data(provenance.json.utf8)) as? [String: Any] {
      let git = object["git"] as? [String: Any]
      out += "<dl class=\"facts\">\n"
      if let git, (git["isRepository"] as? Bool) != false {
        out += "<dt>commit</dt><dd><code>\(((git["commit"] as? String) ?? "?").xmlEscaped)</code></dd>\n"
        out += "<dt>branch</dt><dd>\(((git["branch"] as? String) ?? "–").xmlEscaped)</dd>\n"
        out +=
          "<dt>working tree</dt><dd>\((git["dirty"] as? Bool) == true ? "<strong>dirty</strong>" : "clean")</dd>\n"
      } else {
        out += "<dt>commit</dt><dd>not a git repository</dd>\n"
      }
      out += "</dl>\n"
    }
    if let sha = provenance.diffSHA256, let patch = try store.diff(sha256: sha) {
      out +=
        "<details><summary>dirty diff (sha256 <code>\(sha.prefix(12))</code>)</summary>\n<pre class=\"diff\">\(patch.xmlEscaped)</pre></details>\n"
    }
    out +=
      "<details><summary>everything recorded</summary>\n<pre>\(Self.prettyJSON(provenance.json).xmlEscaped)</pre></details>\n"
    return out
  }

  /// Curves of one metric: each series a group of seeds (mean ± std band); points without a step are indexed.
  static func curveSVG(name: String, series: [(label: String, points: [MetricPoint])], smoothing: Double)
    -> String
  {
    curveSVG(name: name, groups: series.map { ($0.label, [$0.points]) }, smoothing: smoothing)
  }

  static func curveSVG(name: String, groups: [(label: String, seeds: [[MetricPoint]])], smoothing: Double)
    -> String
  {
    let plotted = groups.map { group in
      SVGPlot.Series(
        label: group.label,
        seeds: group.seeds.map { seed in seed.enumerated().map { i, p in (step: p.step ?? i, value: p.value) }
        })
    }
    let title = smoothing > 0 ? "\(name) (smoothed \(smoothing))" : name
    return SVGPlot.curves(title: title, xLabel: "step", yLabel: name, series: plotted, smoothing: smoothing)
  }

  static func prettyJSON(_ json: String) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
      let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    else { return json }
    return String(decoding: data, as: UTF8.self)
  }
}
