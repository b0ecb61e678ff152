import Foundation
import TestSupport
import Testing

@testable import Report

@Suite struct PlotTests {
  /// A v1 .npy of float32 values with the given shape, written the way numpy does.
  func npy(_ values: [Float], shape: [Int]) -> Data {
    var header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
    header += String(repeating: " ", count: 63 - (10 + header.count) % 64) + "\n"
    var data = Data(
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)])
    data.append(Data(header.utf8))
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    return data
  }

  @Test func attentionMapReadsNpyAndAveragesHeads() throws {
    let dir = try TemporaryDirectory("attention")
    let tokens = ["[CLS]", "red", "cube", "r1", "r2"],
      kinds = ["special", "text", "text", "visual", "visual"]
    let n = 5
    // 1 layer, 2 heads: head 0 all 0.1, head 1 all 0.3, except red -> r2 = 0.9 in head 1.
    var values = [Float](repeating: 0.1, count: n * n) + [Float](repeating: 0.3, count: n * n)
    values[n * n + 1 * n + 4] = 0.9
    try npy(values, shape: [1, 2, n, n]).write(to: dir.url.appendingPathComponent("s.npy"))
    let meta: [String: Any] = ["tokens": tokens, "kinds": kinds, "layers": 1, "heads": 2]
    try JSONSerialization.data(withJSONObject: meta).write(to: dir.url.appendingPathComponent("s.json"))
    let map = try AttentionMap.read(
      npy: dir.url.appendingPathComponent("s.npy"), json: dir.url.appendingPathComponent("s.json"))
    #expect(map.values.count == 50)
    let svg = map.heatmapSVG(title: "s")
    #expect(svg.components(separatedBy: "<rect x=").count - 1 == 4)  // 2 text tokens x 2 regions
    #expect(svg.contains("red → r2: 0.500"))  // (0.1 + 0.9) / 2
    #expect(svg.contains("cube → r1: 0.200"))
  }

  @Test func attentionReaderRejectsOtherFiles() throws {
    let dir = try TemporaryDirectory("attention")
    try Data("not numpy".utf8).write(to: dir.url.appendingPathComponent("s.npy"))
    try JSONSerialization.data(withJSONObject: ["tokens": ["a"], "kinds": ["text"], "layers": 1, "heads": 1])
      .write(to: dir.url.appendingPathComponent("s.json"))
    #expect(throws: AttentionMap.ReadError.self) {
      try AttentionMap.read(
        npy: dir.url.appendingPathComponent("s.npy"), json: dir.url.appendingPathComponent("s.json"))
    }
  }

  @Test func curveSeriesAveragesSeedsAtSharedSteps() {
    let s = SVGPlot.Series(label: "x", seeds: [[(0, 1.0), (1, 2.0), (2, 5.0)], [(0, 3.0), (1, 4.0)]])
    #expect(s.points.map(\.x) == [0, 1])
    #expect(s.points.map(\.mean) == [2, 3])
    #expect(abs(s.points[0].std - 2.0.squareRoot()) < 1e-12)
  }

  @Test func scaleTicksAreRoundNumbers() {
    let scale = SVGPlot.Scale(lo: 0.13, hi: 3.7, from: 0, to: 100)
    #expect(scale.ticks == [0, 1, 2, 3, 4])
    #expect(scale(0) == 0 && scale(4) == 100)
  }
}

@Suite struct ReadableFigureTests {
  /// TensorBoard's debiased EMA: the first point is itself, later points lean on the past by `weight`.
  @Test func smoothingIsTensorBoardsDebiasedMovingAverage() {
    let s = SVGPlot.Series(label: "x", points: [(0, 1, 0), (1, 2, 0.5), (2, 3, 1)]).smoothed(0.5)
    #expect(s.points.map(\.x) == [0, 1, 2])
    #expect(abs(s.points[0].mean - 1) < 1e-12)
    #expect(abs(s.points[1].mean - 1.25 / 0.75) < 1e-12)
    #expect(abs(s.points[2].mean - 2.125 / 0.875) < 1e-12)
    #expect(abs(s.points[2].std - (0.125 + 0.5) / 0.875) < 1e-12)
    let svg = SVGPlot.curves(
      title: "loss", xLabel: "step", yLabel: "loss",
      series: [SVGPlot.Series(label: "x", points: [(0, 1, 0), (1, 2, 0), (2, 3, 0)])], smoothing: 0.6)
    #expect(svg.contains("class=\"raw\""))  // the raw curve stays, faint, under the smoothed one
  }

  /// The legend column grows to its longest label: "+ region naming with colours" is no longer cut off.
  @Test func legendFitsItsLongestLabel() throws {
    let labels = ["w/o pre-training", "+ region naming with colours", "baseline"]
    let series = labels.map { SVGPlot.Series(label: $0, points: [(0, 1, 0), (1, 0.5, 0)]) }
    let svg = SVGPlot.curves(title: "mlm loss", xLabel: "step", yLabel: "loss", series: series)
    let width = try #require(Double(svg.firstMatch(of: /width="([0-9.]+)"/)!.1))
    let labelX = try #require(
      svg.matches(of: /<text x="([0-9.]+)"[^>]*>\+ region naming with colours</).first.map { Double($0.1) })
    let needed = TextWidth.of("+ region naming with colours", fontSize: 11)
    #expect(labelX! + needed <= width)
    #expect(needed > 150)  // wider than the 150 px the fixed legend column had
    // A short legend keeps the old 640 px picture.
    let short = SVGPlot.curves(
      title: "t", xLabel: "s", yLabel: "v", series: [SVGPlot.Series(label: "a", points: [(0, 1, 0)])])
    #expect(short.contains("width=\"640.0\""))
  }

  @Test func textWidthFollowsTheFontsAdvances() {
    #expect(TextWidth.of("iiii", fontSize: 10) < TextWidth.of("MMMM", fontSize: 10))
    #expect(abs(TextWidth.of("0", fontSize: 10) - 6.36) < 1e-9)
    #expect(TextWidth.of("", fontSize: 10) == 0)
  }
}
