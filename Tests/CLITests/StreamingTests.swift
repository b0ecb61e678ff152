import Foundation
import Store
import Testing

@Suite struct StreamingTests {
  @Test func curvesAppearWhileTheCellRunsAndAreRecordedOnce() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh",
      """
      #!/bin/sh
      echo '{"step": 1, "loss": 0.9}' >> "$ABLATE_METRICS"
      while [ ! -f "$(dirname "$0")/go" ]; do sleep 0.05; done
      echo '{"step": 2, "loss": 0.4}' >> "$ABLATE_METRICS"

      """, executable: true)
    try cli.write("spec.yaml", "name: s\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\n")
    let started = try cli.start(["run", "spec.yaml"])
    var cellID = ""
    let streamed = try cli.waitFor {
      guard FileManager.default.fileExists(atPath: cli.storePath), let cell = try cli.cells().first else {
        return false
      }
      cellID = cell.id
      let points = try Store(path: cli.storePath).metricPoints(cellID: cell.id)
      return cell.status == .running && points.count == 1
    }
    #expect(streamed)
    // `status` shows how far the running cell is: its newest point and the time it has run so far.
    let row = try cli.run("status", "spec.yaml").stdout.split(separator: "\n").first {
      $0.contains("running")
    }
    #expect(row?.contains("loss=0.9 at step 1") == true, "\(row ?? "no running row")")
    #expect(row?.contains(" - ") == false, "\(row ?? "")")
    try cli.write("go", "")
    #expect(cli.finish(started).status == 0)
    let store = try Store(path: cli.storePath)
    #expect(try store.metricPoints(cellID: cellID).map(\.step) == [1, 2])
    #expect(try store.finalMetrics(cellIDs: [cellID])[cellID]?.first?.value == 0.4)
    // Done, it shows its final values and nothing of the curve.
    let done = try cli.run("status", "spec.yaml").stdout
    #expect(done.contains("loss=0.4") && !done.contains("at step"), "\(done)")
  }
}
