import Foundation
import Store
import Testing

/// `ablate export --format tensorboard`, read back by the `tensorboard` package's own EventAccumulator.
@Suite struct TensorBoardExportTests {
  /// The python with `tensorboard` installed; `.ci/run` creates `.venv-ci` and sets this.
  static let python = ProcessInfo.processInfo.environment["ABLATE_PYTHON"]

  /// Prints {run: {"scalars": {tag: [[step, value], ...]}, "text": {tag: str}}} for every run under argv[1].
  static let reader = """
    import json, os, sys
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator, TENSORS
    root, out = sys.argv[1], {}
    for folder, _, files in os.walk(root):
        if not any("tfevents" in f for f in files):
            continue
        acc = EventAccumulator(folder, size_guidance={TENSORS: 0, "scalars": 0})
        acc.Reload()
        tags = acc.Tags()
        out[os.path.relpath(folder, root)] = {
            "scalars": {t: [[e.step, e.value] for e in acc.Scalars(t)] for t in tags["scalars"]},
            "text": {t: acc.Tensors(t)[0].tensor_proto.string_val[0].decode() for t in tags["tensors"]},
        }
    print(json.dumps(out))
    """

  @Test(
    .enabled(
      if: python != nil,
      "ABLATE_PYTHON is not set: point it at a python with the tensorboard package (.ci/run does)"))
  func tensorBoardReadsEveryScalarBack() throws {
    let cli = try CLI()
    try cli.write(
      "spec.yaml",
      """
      name: tb
      trainer: {builtin: logreg}
      baseline: {lr: 0.5, epochs: 12, l2: 0.0}
      variants:
        - {name: slow, set: {lr: 0.05}}
      grid: {l2: [0.0, 0.1]}
      seeds: [1, 2]

      """)
    #expect(try cli.run("run", "spec.yaml", "--jobs", "2").status == 0)
    let export = try cli.run("export", "spec.yaml", "--format", "tensorboard", "tb")
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout.contains("wrote 8 runs"))

    let read = Process()
    read.executableURL = URL(fileURLWithPath: Self.python!)
    read.arguments = ["-c", Self.reader, cli.root + "/tb"]
    let out = Pipe(), err = Pipe()
    read.standardOutput = out
    read.standardError = err
    try read.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    read.waitUntilExit()
    try #require(read.terminationStatus == 0, "tensorboard's reader failed: \(errors)")
    let runs = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])

    let store = try Store(path: cli.storePath)
    let cells = try store.cells(experiment: "tb")
    #expect(cells.count == 8)
    #expect(Set(runs.keys).count == 8)
    for cell in cells {
      let grid = cell.gridPointJSON.contains("0.1") ? "l2=0.1" : "l2=0"
      let name = "\(cell.variant)/\(grid)/seed=\(cell.seed)"
      let run = try #require(runs[name], "no run \(name) among \(runs.keys.sorted())")
      let scalars = try #require(run["scalars"] as? [String: [[Double]]])
      let points = try store.metricPoints(cellID: cell.id)
      #expect(!points.isEmpty)
      for (metric, curve) in Dictionary(grouping: points, by: \.name) {
        let got = try #require(scalars[metric], "\(name): no \(metric)")
        #expect(got.count == curve.count, "\(name) \(metric)")
        for (i, (point, pair)) in zip(curve, got).enumerated() {
          #expect(Int(pair[0]) == point.step ?? i, "\(name) \(metric) #\(i) step")
          // Event files hold float32 (simple_value): the same float32, bit for bit.
          #expect(Float(pair[1]) == Float(point.value), "\(name) \(metric) #\(i) value")
        }
      }
      #expect(Set(scalars.keys) == Set(points.map(\.name)))
      let text = try #require((run["text"] as? [String: String])?["config"])
      #expect(text.contains("cell `\(cell.id)`, done"))
      #expect(text.contains("| seed | \(cell.seed) |"))
      #expect(text.contains("| lr | \(cell.variant == "slow" ? "0.05" : "0.5") |"))
    }

    // A second export replaces each run's file rather than doubling its curves.
    #expect(try cli.run("export", "spec.yaml", "--format", "tensorboard", "tb").status == 0)
    let files = try FileManager.default.subpathsOfDirectory(atPath: cli.root + "/tb").filter {
      $0.contains("tfevents")
    }
    #expect(files.count == 8)
  }

  @Test func tensorBoardExportWithoutAFolderIsBadInput() throws {
    let cli = try CLI()
    try cli.write("spec.yaml", "name: tb\ntrainer: {builtin: logreg}\nbaseline: {lr: 0.5}\n")
    let missing = try cli.run("export", "spec.yaml", "--format", "tensorboard")
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("needs a folder"))
    let stray = try cli.run("export", "spec.yaml", "--format", "csv", "somewhere")
    #expect(stray.status == 2)
  }
}
