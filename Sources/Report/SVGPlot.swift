import Foundation
import Primitives

/// Small hand-written SVG charts for reports: line curves with a band, and bars with error bars.
///
/// No dependency: a chart is a frame, "nice" ticks, and paths. Colours are a colour-blind-safe palette.
public enum SVGPlot {
  static let palette = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
  ]
  static let height = 360.0, plotWidth = 396.0
  static let left = 64.0, top = 36.0, bottom = 48.0
  static let legendFont = 11.0

  /// The picture's size: the plot area is fixed, the legend column as wide as its longest label.
  struct Canvas {
    var right: Double
    var width: Double { SVGPlot.left + SVGPlot.plotWidth + right }

    init(legend labels: [String]) {
      let widest = labels.map { TextWidth.of($0, fontSize: SVGPlot.legendFont) }.max() ?? 0
      right = max(180, 30 + widest + 10)
    }
  }

  /// One line of a curve plot: mean over seeds at each step, with a band of ± one std.
  public struct Series: Sendable {
    public var label: String
    public var points: [(x: Double, mean: Double, std: Double)]
    public init(label: String, points: [(x: Double, mean: Double, std: Double)]) {
      self.label = label
      self.points = points
    }

    /// Mean and sample std over seeds at each step that every seed reached.
    public init(label: String, seeds: [[(step: Int, value: Double)]]) {
      let maps = seeds.map { Dictionary($0.map { ($0.step, $0.value) }, uniquingKeysWith: { _, b in b }) }
      let steps =
        maps.first.map { first in first.keys.filter { s in maps.allSatisfy { $0[s] != nil } }.sorted() } ?? []
      self.label = label
      self.points = steps.map { s in
        let summary = Summary(maps.map { $0[s]! })
        return (Double(s), summary.mean!, summary.std ?? 0)
      }
    }

    /// TensorBoard's smoothing: an exponential moving average with weight `weight` on the past, divided by
    /// 1 - weight^n so the first points are not pulled toward zero; the std band is smoothed the same way.
    public func smoothed(_ weight: Double) -> Series {
      var mean = 0.0, std = 0.0, n = 0.0
      let smooth = points.map { p -> (x: Double, mean: Double, std: Double) in
        guard p.mean.isFinite, p.std.isFinite else { return p }
        mean = mean * weight + (1 - weight) * p.mean
        std = std * weight + (1 - weight) * p.std
        n += 1
        let debias = 1 - pow(weight, n)
        return (p.x, mean / debias, std / debias)
      }
      return Series(label: label, points: smooth)
    }
  }

  /// Curves with a ± std band. With `smoothing` w in (0, 1), each line and band is TensorBoard's debiased
  /// exponential moving average (weight w on the past), drawn over the faint raw mean.
  public static func curves(
    title: String, xLabel: String, yLabel: String, series: [Series], smoothing: Double = 0
  ) -> String {
    let canvas = Canvas(legend: series.map(\.label))
    let shown = smoothing > 0 ? series.map { $0.smoothed(smoothing) } : series
    let all = (series + shown).flatMap(\.points).filter { $0.mean.isFinite }
    let xs = all.map(\.x)
    let ys =
      shown.flatMap(\.points).filter { $0.mean.isFinite }.flatMap { [$0.mean - $0.std, $0.mean + $0.std] }
      + (smoothing > 0 ? all.map(\.mean) : [])
    let xScale = Scale(lo: xs.min() ?? 0, hi: xs.max() ?? 1, from: left, to: left + plotWidth)
    let yScale = Scale(lo: ys.min() ?? 0, hi: ys.max() ?? 1, from: height - bottom, to: top)
    var body = frame(title: title, xLabel: xLabel, yLabel: yLabel, x: xScale, y: yScale)
    for (i, s) in shown.enumerated() {
      let colour = palette[i % palette.count]
      let pts = s.points.filter { $0.mean.isFinite }
      guard !pts.isEmpty else { continue }
      if smoothing > 0 {
        let raw = series[i].points.filter { $0.mean.isFinite }
          .map { "\(f(xScale($0.x))),\(f(yScale($0.mean)))" }.joined(separator: " ")
        body +=
          "<polyline class=\"raw\" points=\"\(raw)\" fill=\"none\" stroke=\"\(colour)\" stroke-opacity=\"0.25\" stroke-width=\"1\"/>\n"
      }
      if pts.contains(where: { $0.std > 0 }) {
        let upper = pts.map { "\(f(xScale($0.x))),\(f(yScale($0.mean + $0.std)))" }
        let lower = pts.reversed().map { "\(f(xScale($0.x))),\(f(yScale($0.mean - $0.std)))" }
        body +=
          "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
      }
      let line = pts.map { "\(f(xScale($0.x))),\(f(yScale($0.mean)))" }.joined(separator: " ")
      body += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>\n"
    }
    body += legend(series.map(\.label), canvas: canvas)
    return document(body, canvas: canvas)
  }

  /// One bar per (group, series): e.g. ablation rows x tasks, each with an error bar of ± `error`.
  public struct Bar: Sendable {
    public var group: String
    public var series: String
    public var value: Double
    public var error: Double?
    public init(group: String, series: String, value: Double, error: Double?) {
      self.group = group
      self.series = series
      self.value = value
      self.error = error
    }
  }

  public static func bars(title: String, yLabel: String, bars: [Bar]) -> String {
    let groups = unique(bars.map(\.group)), names = unique(bars.map(\.series))
    let canvas = Canvas(legend: names)
    let ys: [Double] =
      bars.flatMap { bar -> [Double] in [bar.value - (bar.error ?? 0), bar.value + (bar.error ?? 0)] } + [0]
    let yScale = Scale(lo: ys.min()!, hi: ys.max()!, from: height - bottom, to: top)
    var body =
      "<text x=\"\(f(left + plotWidth / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escape(title))</text>\n"
    body += axisY(yScale, label: yLabel)
    let groupWidth = plotWidth / Double(max(groups.count, 1))
    let barWidth = groupWidth * 0.8 / Double(max(names.count, 1))
    let zero = yScale(0)
    body +=
      "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(zero))\" y2=\"\(f(zero))\" stroke=\"#333\"/>\n"
    for (g, group) in groups.enumerated() {
      let gx = left + Double(g) * groupWidth
      body +=
        "<text x=\"\(f(gx + groupWidth / 2))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\" font-size=\"11\">\(escape(group))</text>\n"
      for (s, name) in names.enumerated() {
        guard let bar = bars.first(where: { $0.group == group && $0.series == name }) else { continue }
        let x = gx + groupWidth * 0.1 + Double(s) * barWidth
        let y = yScale(bar.value)
        body +=
          "<rect x=\"\(f(x))\" y=\"\(f(min(y, zero)))\" width=\"\(f(barWidth * 0.9))\" height=\"\(f(abs(zero - y)))\" fill=\"\(palette[s % palette.count])\"/>\n"
        if let e = bar.error, e > 0 {
          let cx = x + barWidth * 0.45
          body +=
            "<path d=\"M\(f(cx)),\(f(yScale(bar.value - e)))V\(f(yScale(bar.value + e)))M\(f(cx - 3)),\(f(yScale(bar.value - e)))h6M\(f(cx - 3)),\(f(yScale(bar.value + e)))h6\" stroke=\"#222\" fill=\"none\"/>\n"
        }
      }
    }
    body += legend(names, canvas: canvas)
    return document(body, canvas: canvas)
  }

  /// A heat map of `values` (rows x columns), e.g. attention from text tokens (rows) to image regions (columns).
  public static func heatmap(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]])
    -> String
  {
    let cell = 18.0, y0 = 48.0
    let x0 = max(110, (rowLabels.map { TextWidth.of($0, fontSize: 10) }.max() ?? 0) + 14)
    let flat = values.flatMap { $0 }.filter(\.isFinite)
    let lo = flat.min() ?? 0, hi = flat.max() ?? 1
    let w = max(x0 + cell * Double(columnLabels.count) + 90, Double(title.count) * 7.5 + 40)
    let h = y0 + cell * Double(rowLabels.count) + 70
    var body =
      "<text x=\"\(f(w / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escape(title))</text>\n"
    for (r, row) in values.enumerated() {
      for (c, v) in row.enumerated() {
        let t = hi > lo ? (v - lo) / (hi - lo) : 0
        let shade = Int(255 - 200 * (t.isFinite ? t : 0))
        body +=
          "<rect x=\"\(f(x0 + Double(c) * cell))\" y=\"\(f(y0 + Double(r) * cell))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"rgb(\(shade),\(shade),255)\"><title>\(escape(rowLabels[r])) → \(escape(columnLabels[c])): \(String(format: "%.3f", v))</title></rect>\n"
      }
      body +=
        "<text x=\"\(f(x0 - 4))\" y=\"\(f(y0 + Double(r) * cell + cell * 0.7))\" text-anchor=\"end\" font-size=\"10\">\(escape(rowLabels[r]))</text>\n"
    }
    for (c, label) in columnLabels.enumerated() {
      let x = x0 + Double(c) * cell + cell / 2, y = y0 + cell * Double(rowLabels.count) + 6
      body +=
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"10\" transform=\"rotate(60 \(f(x)) \(f(y)))\">\(escape(label))</text>\n"
    }
    let gridRight = x0 + cell * Double(columnLabels.count)
    body +=
      "<text x=\"\(f(x0 + cell * Double(columnLabels.count) / 2))\" y=\"\(f(h - 6))\" text-anchor=\"middle\" font-size=\"11\">image regions</text>\n"
    body +=
      "<text x=\"\(f(gridRight + 10))\" y=\"\(f(y0 + 10))\" font-size=\"10\">low \(String(format: "%.2f", lo))</text>\n"
    body +=
      "<text x=\"\(f(gridRight + 10))\" y=\"\(f(y0 + 24))\" font-size=\"10\">high \(String(format: "%.2f", hi))</text>\n"
    return
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(w))\" height=\"\(f(h))\" font-family=\"sans-serif\">\n"
      + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
  }

  // MARK: Pieces

  /// A linear map from data to pixels whose domain is widened to "nice" tick values.
  struct Scale {
    var lo: Double, hi: Double, from: Double, to: Double
    var ticks: [Double]

    init(lo: Double, hi: Double, from: Double, to: Double) {
      var lo = lo, hi = hi
      if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
      let raw = (hi - lo) / 5
      let magnitude = pow(10, floor(log10(raw)))
      let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
      self.lo = floor(lo / step) * step
      self.hi = ceil(hi / step) * step
      self.from = from
      self.to = to
      ticks = stride(from: self.lo, through: self.hi + step / 2, by: step).map { $0 }
    }

    func callAsFunction(_ v: Double) -> Double { from + (v - lo) / (hi - lo) * (to - from) }
  }

  static func frame(title: String, xLabel: String, yLabel: String, x: Scale, y: Scale) -> String {
    var out =
      "<text x=\"\(f(left + plotWidth / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escape(title))</text>\n"
    out += axisY(y, label: yLabel)
    let base = height - bottom
    out +=
      "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(base))\" y2=\"\(f(base))\" stroke=\"#333\"/>\n"
    for t in x.ticks {
      out +=
        "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(base))\" y2=\"\(f(base + 4))\" stroke=\"#333\"/>\n"
      out +=
        "<text x=\"\(f(x(t)))\" y=\"\(f(base + 16))\" text-anchor=\"middle\" font-size=\"10\">\(tick(t))</text>\n"
    }
    out +=
      "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\" font-size=\"12\">\(escape(xLabel))</text>\n"
    return out
  }

  static func axisY(_ y: Scale, label: String) -> String {
    var out =
      "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(height - bottom))\" stroke=\"#333\"/>\n"
    for t in y.ticks {
      out +=
        "<line x1=\"\(f(left - 4))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#ddd\"/>\n"
      out +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(y(t) + 3))\" text-anchor=\"end\" font-size=\"10\">\(tick(t))</text>\n"
    }
    let mid = (top + height - bottom) / 2
    out +=
      "<text x=\"14\" y=\"\(f(mid))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 \(f(mid)))\">\(escape(label))</text>\n"
    return out
  }

  static func legend(_ labels: [String], canvas: Canvas) -> String {
    var out = ""
    let x = left + plotWidth
    for (i, label) in labels.enumerated() {
      let y = top + 4 + Double(i) * 16
      out +=
        "<rect x=\"\(f(x + 12))\" y=\"\(f(y))\" width=\"12\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>\n"
      out +=
        "<text x=\"\(f(x + 30))\" y=\"\(f(y + 9))\" font-size=\"\(f(legendFont))\">\(escape(label))</text>\n"
    }
    return out
  }

  static func document(_ body: String, canvas: Canvas) -> String {
    let width = canvas.width
    return
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\">\n"
      + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
  }

  static func f(_ x: Double) -> String { String(format: "%.1f", x) }
  static func tick(_ x: Double) -> String {
    abs(x) >= 1000 || x == x.rounded()
      ? String(format: "%.0f", x) : String(format: "%g", (x * 1e6).rounded() / 1e6)
  }

  static func escape(_ s: String) -> String { s.xmlEscaped }

  static func unique(_ xs: [String]) -> [String] {
    var seen = Set<String>()
    return xs.filter { seen.insert($0).inserted }
  }
}
