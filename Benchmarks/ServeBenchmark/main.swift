// Benchmark: the dashboard on a store of 10,000 done cells and 1,000,000 metric points (issue 17's targets:
// the experiment page under 200 ms, a cell's curve under 100 ms).
//
// Fills a real SQLite store through the Store API (register, claim, finish: the runner's own writes), opens it
// read-only as `ablate serve` does, and times the pages the server answers with, in process (the HTTP layer on
// loopback adds well under a millisecond). Usage: swift run -c release serve-benchmark [ROUNDS=20]
import Foundation
import Hashing
import Report
import Serve
import Store

let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-benchmark-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let path = folder.appendingPathComponent("ablate.db").path

let cellCount = 10_000, pointsPerCell = 100
let fillStart = Date()
let writer = try Store(path: path)
var cells: [NewCell] = []
for i in 0..<cellCount {
  let variant = "v\(i / 100)", seed = i % 100
  let config = "{\"lr\":\(Double(i / 100) / 100),\"seed\":\(seed)}"
  cells.append(
    NewCell(
      id: SHA256.hex("big-\(i)"), experiment: "big", variant: variant, gridPointJSON: "{}", seed: seed,
      configJSON: config, configHash: SHA256.hex(config), trainer: "bench"))
}
try writer.register(cells)
for (i, cell) in cells.enumerated() {
  guard
    case .claimed(let attempt) = try writer.claim(
      cellID: cell.id, owner: "bench/1/x", leaseSeconds: 600, retryFailed: false, provenanceID: nil,
      outputDir: { "\(folder.path)/cells/\(cell.id)/attempt-\($0)" })
  else { fatalError("could not claim \(cell.id)") }
  let points = (1...pointsPerCell).map {
    MetricPoint(name: "loss", step: $0, value: 1 / Double($0 + i % 7), time: Double($0))
  }
  let result = AttemptResult(
    status: .done, exitCode: 0, errorText: nil, endedAt: Date().timeIntervalSince1970, duration: 1,
    points: points,
    finals: [
      FinalMetric(name: "loss", value: points.last!.value, step: pointsPerCell),
      FinalMetric(name: "acc", value: Double(i % 100) / 100, step: nil),
    ],
    artifacts: [])
  guard try writer.finish(cellID: cell.id, owner: "bench/1/x", attempt: attempt, result: result) else {
    fatalError("could not finish \(cell.id)")
  }
}
let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print(
  "filled \(cellCount) cells, \(cellCount * pointsPerCell) points in \(String(format: "%.1f", Date().timeIntervalSince(fillStart))) s (store \(bytes / 1_048_576) MiB)"
)

let reader = try Store(path: path, access: .readOnly)
let dashboard = Dashboard(store: reader, specs: [], paper: PaperTables.embedded())

/// Median and maximum milliseconds of `rounds` calls.
func time(_ label: String, budget: Double, _ body: () throws -> Page) rethrows {
  var ms: [Double] = []
  var size = 0
  for _ in 0..<rounds {
    let start = DispatchTime.now().uptimeNanoseconds
    let page = try body()
    ms.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    size = page.body.count
    precondition(page.status == 200, "\(label): status \(page.status)")
  }
  ms.sort()
  let median = ms[ms.count / 2]
  print(
    String(
      format: "%@: median %.1f ms, max %.1f ms over %d rounds (%d KB) — target < %.0f ms: %@", label, median,
      ms.last!, rounds, size / 1024, budget, median < budget ? "met" : "NOT met"))
}

let someCell = cells[cellCount / 2].id
try time("experiment page /experiments/big", budget: 200) { try dashboard.respond(path: "/experiments/big") }
try time("experiments index /", budget: 200) { try dashboard.respond(path: "/") }
try time("cell curve /cells/ID/curve.svg?metric=loss", budget: 100) {
  try dashboard.respond(path: "/cells/\(someCell)/curve.svg", query: ["metric": "loss"])
}
try time("cell page /cells/ID", budget: 100) { try dashboard.respond(path: "/cells/\(someCell)") }
