import Foundation
import Store
import Testing

/// The one-node test cluster, as `.ci/run` announces it.
enum SlurmTestCluster {
  static let conf = ProcessInfo.processInfo.environment["ABLATE_SLURM_TEST_CONF"]
  static let node = ProcessInfo.processInfo.environment["ABLATE_SLURM_TEST_NODE"] ?? "ci-node"
}

/// The Slurm executor through the real CLI on the real one-node cluster `.ci/run` starts
/// (`ABLATE_SLURM_TEST_CONF` names its slurm.conf). Serialized: one test sets the node DOWN.
@Suite(
  .serialized,
  .enabled(
    if: SlurmTestCluster.conf != nil,
    "no Slurm cluster: set ABLATE_SLURM_TEST_CONF to a slurm.conf (.ci/run starts one with start-slurm.sh)"))
struct SlurmCLITests {
  static let conf = SlurmTestCluster.conf
  static let node = SlurmTestCluster.node

  static func spec(seeds: Int, slurm: String = "{}") -> String {
    """
    name: sweep
    trainer: {command: [sh, train.sh]}
    baseline: {x: 1}
    seeds: [\((1...seeds).map(String.init).joined(separator: ", "))]
    run: {executor: slurm, slurm: \(slurm)}

    """
  }

  /// A project with the script trainer and a spec; `env` reaches the tasks (sbatch exports it).
  static func project(_ spec: String) throws -> CLI {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", spec)
    return cli
  }

  static func env(_ extra: [String: String] = [:]) -> [String: String] {
    extra.merging(["SLURM_CONF": conf ?? ""]) { a, _ in a }
  }

  /// A Slurm tool, run directly against the test cluster.
  @discardableResult
  static func slurm(_ tool: String, _ args: String...) throws -> String {
    try CLI.output(of: "/usr/bin/env", [tool] + args, environment: env())
  }

  /// Live elements of the test's arrays: "id_index STATE".
  static func squeue() throws -> [String] {
    try slurm("squeue", "--noheader", "--array", "--format=%i %T").split(separator: "\n").map(String.init)
  }

  static func lines(_ cli: CLI, _ file: String) -> [String] {
    cli.read(file).split(separator: "\n").map(String.init)
  }

  /// Every cell done, each trainer finished exactly once, one curve point per metric (nothing duplicated).
  static func expectDoneExactlyOnce(_ cli: CLI, count: Int) throws {
    let cells = try cli.cells()
    #expect(cells.count == count)
    #expect(
      cells.allSatisfy { $0.status == .done },
      "\(cells.map { "\($0.status) \($0.errorText ?? "")" })\n\(logs(cli))")
    let finished = lines(cli, "finished.log")
    #expect(finished.count == count, "\(finished)")
    #expect(Set(finished) == Set(cells.map(\.id)))
    let store = try Store(path: cli.storePath)
    for cell in cells { #expect(try store.metricPoints(cellID: cell.id).count == 2) }
  }

  /// Every Slurm job log of the project, for failure messages.
  static func logs(_ cli: CLI) -> String {
    let root = cli.root + "/.ablate/slurm"
    let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    return files.filter { $0.hasSuffix(".log") }.sorted().map { "\($0):\n\(cli.read(".ablate/slurm/" + $0))" }
      .joined(separator: "\n")
  }

  static func submissions(_ cli: CLI) -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: cli.root + "/.ablate/slurm")) ?? []).count
  }

  /// Requeued jobs wait 120 s (BeginTime); let them start now. Not at once: slurmd still holds the revoked
  /// credential of the requeued run for a moment, and a job forced to start then fails ("Job credential revoked").
  static func startPendingNow() throws {
    Thread.sleep(forTimeInterval: 3)
    for line in try squeue() where line.hasSuffix("PENDING") {
      try slurm("scontrol", "update", "JobId=\(line.split(separator: " ")[0])", "StartTime=now")
    }
  }

  @Test func twentyCellsSubmittedThenCollectedExactlyOnce() throws {
    let cli = try Self.project(Self.spec(seeds: 20, slurm: "{throttle: 4}"))
    let submit = try cli.run(["run", "spec.yaml"], environment: Self.env())
    #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)")
    #expect(submit.stdout.contains("20 submitted; Slurm array"))
    #expect(submit.stdout.contains("--array=0-19%4"))
    #expect(submit.stdout.contains("sweep: queued 20"))
    // The submitter is gone; the array runs on.
    #expect(cli.waitFor(seconds: 120) { Self.lines(cli, "finished.log").count == 20 })
    #expect(try cli.cells().allSatisfy { $0.status == .queued })
    let collect = try cli.run(["run", "spec.yaml"], environment: Self.env())
    #expect(collect.status == 0, "\(collect.stdout)\(collect.stderr)")
    #expect(collect.stdout.contains("20 results collected, 0 submitted"))
    try Self.expectDoneExactlyOnce(cli, count: 20)
    // Collecting again finds nothing new and submits nothing.
    let again = try cli.run(["run", "spec.yaml"], environment: Self.env())
    #expect(again.stdout.contains("0 results collected, 0 submitted"))
    #expect(Self.submissions(cli) == 1)
    let status = try cli.run(["status", "spec.yaml"], environment: Self.env())
    #expect(status.stdout.contains("SLURM"))
    #expect(status.stdout.contains("ran on \(Self.node)"))
    #expect(status.stdout.contains("sweep: 20 cells: done 20"))
  }

  @Test func killNineOfTheSubmitterLosesNothing() throws {
    let cli = try Self.project(Self.spec(seeds: 6))
    let started = try cli.start(
      ["run", "spec.yaml", "--wait"], environment: Self.env(["SLEEP_SECS": "1"]))
    #expect(
      try cli.waitFor(seconds: 30) {
        try FileManager.default.fileExists(atPath: cli.storePath)
          && cli.cells().filter { $0.status == .queued }.count == 6 && !Self.squeue().isEmpty
      })
    kill(started.0.processIdentifier, SIGKILL)
    _ = cli.finish(started)
    #expect(cli.waitFor(seconds: 60) { Self.lines(cli, "finished.log").count == 6 })
    let collect = try cli.run(["run", "spec.yaml", "--wait"], environment: Self.env())
    #expect(collect.status == 0, "\(collect.stdout)\(collect.stderr)")
    try Self.expectDoneExactlyOnce(cli, count: 6)
    #expect(Self.submissions(cli) == 1)
  }

  @Test func aPendingTaskScancelledIsSubmittedAgainAlone() throws {
    let cli = try Self.project(Self.spec(seeds: 4, slurm: "{throttle: 1}"))
    let submit = try cli.run(["run", "spec.yaml"], environment: Self.env(["SLEEP_SECS": "1"]))
    #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)")
    let array = try #require(try Self.squeue().first?.split(separator: "_").first)
    try Self.slurm("scancel", "\(array)_3")
    // A cancelled pending task leaves no trace in Slurm: only the missing result tells.
    #expect(
      try cli.waitFor(seconds: 60) { try Self.squeue().isEmpty && Self.lines(cli, "finished.log").count == 3 }
    )
    let again = try cli.run(["run", "spec.yaml", "--wait"], environment: Self.env())
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    #expect(again.stdout.contains("3 results collected, 1 lost (no result, no live task), 1 submitted"))
    #expect(again.stdout.contains("--array=3%1,"))
    try Self.expectDoneExactlyOnce(cli, count: 4)
    #expect(Self.submissions(cli) == 2)
  }

  @Test func aRunningTaskRequeuedRunsAgainAndIsCountedOnce() throws {
    let cli = try Self.project(Self.spec(seeds: 2))
    let submit = try cli.run(["run", "spec.yaml"], environment: Self.env(["SLEEP_SECS": "4"]))
    #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)")
    #expect(cli.waitFor(seconds: 30) { Self.lines(cli, "started.log").count == 2 })
    let array = try #require(try Self.squeue().first?.split(separator: "_").first)
    try Self.slurm("scontrol", "requeue", "\(array)_0")
    #expect(try cli.waitFor(seconds: 10) { (try Self.squeue()).contains("\(array)_0 PENDING") })
    try Self.startPendingNow()
    let collect = try cli.run(["run", "spec.yaml", "--wait"], environment: Self.env())
    #expect(collect.status == 0, "\(collect.stdout)\(collect.stderr)")
    try Self.expectDoneExactlyOnce(cli, count: 2)
    #expect(Self.lines(cli, "started.log").count == 3)
    let status = try cli.run(["status", "spec.yaml"], environment: Self.env())
    #expect(status.stdout.contains("\(array)_0 ran on \(Self.node) 1 restart(s)"), "\(status.stdout)")
    #expect(Self.submissions(cli) == 1)
  }

  @Test func aNodeSetDownRequeuesItsTasks() throws {
    let cli = try Self.project(Self.spec(seeds: 2))
    let submit = try cli.run(["run", "spec.yaml"], environment: Self.env(["SLEEP_SECS": "4"]))
    #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)")
    #expect(cli.waitFor(seconds: 30) { Self.lines(cli, "started.log").count == 2 })
    try Self.slurm("scontrol", "update", "NodeName=\(Self.node)", "State=DOWN", "Reason=ablate-test")
    defer { _ = try? Self.slurm("scontrol", "update", "NodeName=\(Self.node)", "State=RESUME") }
    #expect(
      try cli.waitFor(seconds: 15) { (try Self.squeue()).filter { $0.hasSuffix("PENDING") }.count == 2 })
    try Self.slurm("scontrol", "update", "NodeName=\(Self.node)", "State=RESUME")
    try Self.startPendingNow()
    let collect = try cli.run(["run", "spec.yaml", "--wait"], environment: Self.env())
    #expect(collect.status == 0, "\(collect.stdout)\(collect.stderr)")
    try Self.expectDoneExactlyOnce(cli, count: 2)
    let status = try cli.run(["status", "spec.yaml"], environment: Self.env())
    #expect(status.stdout.components(separatedBy: "1 restart(s)").count == 3, "\(status.stdout)")
  }

  @Test func aTaskPastItsTimeLimitRequeuesThenEndsTimedOut() throws {
    // Slurm's warning comes up to a minute early; max_requeues 1: one requeue, then the state says why.
    let cli = try Self.project(
      Self.spec(seeds: 1, slurm: "{time: 1, signal_grace: 50, max_requeues: 1}"))
    let submit = try cli.run(["run", "spec.yaml"], environment: Self.env(["SLEEP_SECS": "300"]))
    #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)")
    #expect(try cli.waitFor(seconds: 90) { (try Self.squeue()).contains { $0.hasSuffix("PENDING") } })
    try Self.startPendingNow()
    let collect = try cli.run(["run", "spec.yaml", "--wait"], environment: Self.env())
    #expect(collect.status == 1, "\(collect.stdout)\(collect.stderr)")
    let cell = try #require(try cli.cells().first)
    #expect(cell.status == .timedOut)
    #expect(cell.errorText?.contains("reached the Slurm time limit (1 min) after 1 requeue(s)") == true)
    #expect(Self.lines(cli, "started.log").count == 2)
    #expect(Self.lines(cli, "finished.log").isEmpty)
    // Settled: the next run neither collects nor submits it.
    let again = try cli.run(["run", "spec.yaml"], environment: Self.env())
    #expect(again.stdout.contains("0 results collected, 0 submitted"))
  }

  @Test func cancelStopsTheArrayAndTheNextRunResumes() throws {
    let cli = try Self.project(Self.spec(seeds: 3, slurm: "{throttle: 1}"))
    let submit = try cli.run(["run", "spec.yaml"], environment: Self.env(["SLEEP_SECS": "3"]))
    #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)")
    #expect(cli.waitFor(seconds: 30) { Self.lines(cli, "started.log").count == 1 })
    let cancel = try cli.run(["cancel", "spec.yaml"], environment: Self.env())
    #expect(cancel.status == 0, "\(cancel.stdout)\(cancel.stderr)")
    #expect(cancel.stdout.contains("3 cells interrupted"), "\(cancel.stdout)")
    #expect(
      try cli.cells().allSatisfy { $0.status == .interrupted && $0.errorText?.contains("cancel") == true })
    #expect(try cli.waitFor(seconds: 20) { (try Self.squeue()).isEmpty })
    let resumed = try cli.run(["run", "spec.yaml", "--wait"], environment: Self.env(["SLEEP_SECS": "0"]))
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
    try Self.expectDoneExactlyOnce(cli, count: 3)
  }
}

/// Bad Slurm flags are bad input like any other: no cluster needed.
@Suite struct SlurmFlagTests {
  @Test func badSlurmFlagsAreExitCodeTwoAndWriteNothing() throws {
    let cli = try SlurmCLITests.project(SlurmCLITests.spec(seeds: 1))
    let bad = try cli.run(["run", "spec.yaml", "--time", "soon"], environment: [:])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--time 'soon' is not a time limit"))
    let executor = try cli.run(["run", "spec.yaml", "--executor", "k8s"], environment: [:])
    #expect(executor.status == 2)
    #expect(!FileManager.default.fileExists(atPath: cli.storePath))
  }
}
