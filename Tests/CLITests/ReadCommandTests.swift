import Foundation
import Testing

@Suite struct ReadCommandTests {
  @Test func statusRunsShowAndExportReadTheStore() throws {
    let cli = try CLI()
    try cli.write(
      "spec.yaml",
      """
      name: lr
      trainer: {builtin: logreg}
      baseline: {lr: 0.5, epochs: 20}
      variants:
        - {name: tiny-lr, set: {lr: 0.001}}
      seeds: [1, 2]

      """)
    #expect(try cli.run("run", "spec.yaml", "--jobs", "2").status == 0)

    let status = try cli.run("status", "spec.yaml")
    #expect(status.stdout.contains("lr: 4 cells: done 4"))
    #expect(status.stdout.contains("val_acc="))

    let runs = try cli.run("runs", "--experiment", "lr", "--status", "done")
    #expect(runs.stdout.contains("4 cells"))
    #expect(try cli.run("runs", "--status", "bogus").status == 2)

    let csv = try cli.run("export", "spec.yaml", "--format", "csv").stdout.split(separator: "\n")
    #expect(csv.count == 5)
    #expect(
      csv[0]
        == "id,experiment,variant,seed,status,duration,attempt,started_at,ended_at,commit,dirty,diff_sha256,host,"
        + "loss,train_acc,val_acc")

    let json = try cli.run("export", "spec.yaml", "--format", "json").stdout
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    #expect(rows.count == 4)
    // The knob matters: a tiny learning rate leaves the loss near log 2 after 20 epochs.
    let loss = { (variant: String) in
      rows.filter { $0["variant"] as? String == variant }.compactMap {
        ($0["metrics"] as? [String: Any])?["loss"] as? Double
      }
    }
    #expect(loss("tiny-lr").allSatisfy { $0 > 0.6 })
    #expect(loss("baseline").allSatisfy { $0 < 0.45 })

    let id = String((rows[0]["id"] as? String ?? "").prefix(10))
    let show = try cli.run("show", id)
    #expect(show.status == 0)
    #expect(show.stdout.contains("weights.txt"))
    #expect(show.stdout.contains("\"isRepository\""))
    let missing = try cli.run("show", "ffffffffff")
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no cell with id"))
  }
}
