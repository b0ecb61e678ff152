import Foundation
import Testing

/// `experiments/data-efficiency.yaml` runs and reports through the real CLI at smoke scale: six rows, the
/// training items growing 1/4 -> 1 -> 4x, and a pre-training gain stated at each size.
@Suite(.serialized) struct DataEfficiencyTests {
  @Test func theCurveRunsAndReportsAtSmokeScale() throws {
    let cli = try CLI()
    for name in ["vlbert-base.yaml", "data-efficiency.yaml"] {
      try FileManager.default.copyItem(
        at: ExampleSpecTests.experiments.appendingPathComponent(name),
        to: cli.directory.url.appendingPathComponent(name))
    }
    let quick = TableSpecsTests.quick + ["--set", "train.pretrain_steps=4"]
    let run = try cli.run(["run", "data-efficiency.yaml", "--jobs", "2"] + quick)
    #expect(run.status == 0, "\(run.stderr)")
    let md = try cli.run(["report", "data-efficiency.yaml"] + quick)
    #expect(md.status == 0, "\(md.stderr)")
    let lines = md.stdout.split(separator: "\n").map(String.init)
    /// The first measured value of a row: its VQA training items.
    func items(_ label: String) throws -> Double {
      let line = try #require(
        lines.first { $0.hasPrefix("| \(label) | 1/1 |") }, "row \(label): \(md.stdout)")
      let cell = line.split(separator: "|")[2].trimmingCharacters(in: .whitespaces)
      return try #require(Double(cell.split(separator: " ")[0]), "\(line)")
    }
    for arm in ["w/o pre-training", "pre-trained"] {
      let (quarter, one, four) = (try items("1/4, \(arm)"), try items("1x, \(arm)"), try items("4x, \(arm)"))
      #expect(quarter == (one / 4).rounded() && four > 3.5 * one, "\(arm): \(quarter), \(one), \(four)")
    }
    #expect(!md.stdout.contains("**hole**: "))
    // One pre-training gain per size, each against the row w/o pre-training at that size.
    for (row, parent) in [
      ("1/4, pre-trained", "1/4, w/o pre-training"), ("1x, pre-trained", "1x, w/o pre-training"),
      ("4x, pre-trained", "4x, w/o pre-training"),
    ] {
      #expect(md.stdout.contains(row) && md.stdout.contains(parent))
    }
    // The 4x world was built beside the 1x one, once.
    let worlds = try FileManager.default.contentsOfDirectory(atPath: cli.root + "/.ablate/cache")
    #expect(
      Set(worlds.filter { $0.hasPrefix("world-") }) == ["world-smoke-0-v2", "world-smoke-0-v2-finetune-x4"])
  }
}
