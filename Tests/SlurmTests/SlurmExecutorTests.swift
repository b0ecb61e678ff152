import Foundation
import Orchestrator
import Spec
import Store
import TestSupport
import Testing

@testable import Slurm

/// The executor's state machine against a fake cluster and a real store: submit, collect, lose, resubmit.
@Suite struct SlurmExecutorTests {
  struct Fixture {
    let dir: TemporaryDirectory
    let store: Store
    let fake = FakeSlurm()
    let executor: SlurmExecutor
    let spec: ExperimentSpec
    let cells: [Cell]
    let launch: TrainerLaunch

    init(cells count: Int, maxArraySize: Int = 1001) throws {
      dir = try TemporaryDirectory("ablate-slurm")
      store = try Store(path: dir.path + "/.ablate/ablate.db")
      fake.maxArraySize = maxArraySize
      executor = SlurmExecutor(
        store: store, cluster: SlurmCluster(commands: fake), storeDirectory: dir.path + "/.ablate")
      spec = ExperimentSpec(
        name: "grid", file: dir.path + "/spec.yaml", trainer: .command(["sh", "train.sh"]),
        baseline: .object(["x": .int(1)]), seeds: Array(1...count))
      launch = TrainerLaunch(argv: ["sh", "train.sh"], identity: "command:[sh]", workingDirectory: dir.path)
      cells = spec.cells(trainerIdentity: launch.identity)
      try store.register(
        cells.map {
          NewCell(
            id: $0.id, experiment: $0.experiment, variant: $0.variant, gridPointJSON: $0.gridPointJSON,
            seed: $0.seed,
            configJSON: $0.config.canonicalJSON, configHash: $0.configHash, trainer: launch.identity)
        })
    }

    func request(_ ids: [String]? = nil) -> SlurmExecutor.Request {
      SlurmExecutor.Request(
        spec: spec, cells: cells, submit: Set(ids ?? cells.map(\.id)), launch: launch,
        settings: SlurmSettings(throttle: 2), executable: CommandLine.arguments[0], provenanceID: nil,
        gitCommit: nil, retryFailed: false)
    }

    /// What a task leaves when its cell is done: a curve of `points` points, the last one `value`.
    func finish(_ task: SlurmTaskRecord, value: Double = 0.25, points: Int = 1) throws {
      let result = AttemptResult(
        status: .done, exitCode: 0, errorText: nil, endedAt: 20, duration: 1,
        points: (1...points).map {
          MetricPoint(name: "loss", step: $0, value: $0 == points ? value : 1 / Double($0), time: 19)
        },
        finals: [FinalMetric(name: "loss", value: value, step: 1)], artifacts: [])
      try TaskResultFile(
        cell: task.cellID, attempt: task.attempt, result: result, startedAt: 19,
        slurm: SlurmAttemptProvenance(
          jobID: "7", arrayID: task.arrayID, taskIndex: task.taskIndex, restartCount: 1, node: "n1",
          partition: "debug", gitCommit: nil, binarySHA256: nil, mismatch: nil)
      ).write(to: task.outputDir!)
    }

    func tasks() throws -> [SlurmTaskRecord] {
      try store.slurmTasks(cellIDs: cells.map(\.id)).values.sorted { $0.taskIndex < $1.taskIndex }
    }

    func live(_ task: SlurmTaskRecord, _ state: String = "RUNNING") -> LiveTask {
      LiveTask(
        jobName: task.jobName, arrayID: task.arrayID ?? "", taskIndex: task.taskIndex,
        jobID: task.slurmID, state: state, node: "n1", partition: "debug", reason: "None")
    }
  }

  @Test func submitQueuesEveryCellInOneThrottledArray() throws {
    let f = try Fixture(cells: 5)
    let submitted = try f.executor.submit(f.request())
    #expect(submitted.count == 1)
    #expect(submitted[0].range.description == "0-4%2")
    #expect(f.fake.sbatchCalls.count == 1)
    #expect(f.fake.sbatchCalls[0].prefix(2) == ["sbatch", "--parsable"])
    let tasks = try f.tasks()
    #expect(tasks.map(\.taskIndex) == [0, 1, 2, 3, 4])
    #expect(
      tasks.allSatisfy { $0.status == .queued && $0.attempt == 1 && $0.arrayID == submitted[0].arrayID })
    // The manifest maps each index to its cell and attempt; each attempt directory holds the config.
    for task in tasks {
      let entry = try TaskEntry.read(index: task.taskIndex, from: submitted[0].directory)
      #expect(entry.cellID == task.cellID && entry.attempt == 1 && entry.directory == task.outputDir)
      #expect(FileManager.default.fileExists(atPath: task.outputDir! + "/config.json"))
    }
    // Queued cells are submitted once: a second submit sends nothing.
    #expect(try f.executor.submit(f.request()).isEmpty)
    #expect(f.fake.sbatchCalls.count == 1)
  }

  @Test func arraysSplitAtMaxArraySize() throws {
    let f = try Fixture(cells: 7, maxArraySize: 3)
    let submitted = try f.executor.submit(f.request())
    #expect(submitted.map(\.range.description) == ["0-2%2", "0-2%2", "0%2"])
    #expect(Set(submitted.map(\.arrayID)).count == 3)
  }

  @Test func collectIngestsOnceMarksTheLostAndResubmitsOnlyThem() throws {
    let f = try Fixture(cells: 4)
    try f.executor.submit(f.request())
    var tasks = try f.tasks()
    try f.finish(tasks[0])
    try f.finish(tasks[1])
    f.fake.live = [f.live(tasks[2])]  // task 3: cancelled while pending, no trace
    let first = try f.executor.collect(cellIDs: f.cells.map(\.id))
    #expect(Set(first.ingested) == [tasks[0].cellID, tasks[1].cellID])
    #expect(first.lost == 1)
    // Collecting again changes nothing: keyed by (cell, attempt), only queued attempts take a result.
    let again = try f.executor.collect(cellIDs: f.cells.map(\.id))
    #expect(again.ingested.isEmpty && again.lost == 0)
    let records = try f.store.cells(ids: f.cells.map(\.id))
    #expect(records[tasks[0].cellID]?.status == .done)
    #expect(try f.store.metricPoints(cellID: tasks[0].cellID).count == 1)
    #expect(try f.store.finalMetrics(cellIDs: [tasks[1].cellID])[tasks[1].cellID]?.first?.value == 0.25)
    #expect(records[tasks[2].cellID]?.status == .queued)
    #expect(records[tasks[3].cellID]?.status == .interrupted)
    #expect(records[tasks[3].cellID]?.errorText?.contains("ended without a result") == true)
    tasks = try f.tasks()
    #expect(tasks[0].node == "n1" && tasks[0].restartCount == 1 && tasks[0].jobID == "7")

    // Only the lost cell goes again, as a new attempt at its own index.
    let plan = try PlannedCell.plan(f.cells, store: f.store, retryFailed: false)
    let resubmitted = try f.executor.submit(f.request(plan.filter(\.willRun).map(\.cell.id)))
    #expect(resubmitted.map(\.range.description) == ["3%2"])
    let redo = try f.tasks().first { $0.taskIndex == 3 }!
    #expect(redo.attempt == 2 && redo.status == .queued)
    // A late result of the old attempt is not this attempt's: ignored.
    var stale = redo
    stale.attempt = 1
    stale.outputDir = tasks[3].outputDir
    try f.finish(stale)
    f.fake.live = [f.live(tasks[2]), f.live(redo, "PENDING")]
    #expect(try f.executor.collect(cellIDs: f.cells.map(\.id)).ingested.isEmpty)
    #expect(try f.store.cells(ids: [redo.cellID])[redo.cellID]?.status == .queued)
  }

  /// Results are ingested a transaction's worth of points at a time (issue 15's 1,000-result collect held
  /// the write lock for all their curves at once): across batch boundaries, and for a curve larger than a
  /// batch, every result is recorded once with its whole curve in order.
  @Test func collectingLongCurvesRecordsEachWholeAndOnce() throws {
    let sizes = [10_000, 10_000, 40_000, 1, Store.pointsPerTransaction, 7, Store.pointsPerTransaction - 8]
    let f = try Fixture(cells: sizes.count)
    try f.executor.submit(f.request())
    let tasks = try f.tasks()
    for (task, size) in zip(tasks, sizes) { try f.finish(task, points: size) }
    #expect(Set(try f.executor.collect(cellIDs: f.cells.map(\.id)).ingested) == Set(tasks.map(\.cellID)))
    for (task, size) in zip(tasks, sizes) {
      let points = try f.store.metricPoints(cellID: task.cellID)
      #expect(points.map(\.step) == Array(1...size), "\(size) points")
      #expect(points.last?.value == 0.25)
    }
    #expect(try f.store.cells(ids: f.cells.map(\.id)).values.allSatisfy { $0.status == .done })
    #expect(try f.executor.collect(cellIDs: f.cells.map(\.id)).ingested.isEmpty)
  }

  @Test func noLivenessMeansNothingIsLost() throws {
    let f = try Fixture(cells: 2)
    try f.executor.submit(f.request())
    f.fake.squeueFails = true
    let collection = try f.executor.collect(cellIDs: f.cells.map(\.id))
    #expect(collection.squeueError != nil && collection.lost == 0)
    #expect(try f.store.cells(ids: f.cells.map(\.id)).values.allSatisfy { $0.status == .queued })
  }

  @Test func aFailedSbatchLeavesTheCellsPending() throws {
    let f = try Fixture(cells: 2)
    struct Refusing: SlurmCommands {
      func run(_ tool: String, _ arguments: [String]) throws -> String {
        if tool == "sbatch" {
          throw SlurmError(command: "sbatch", message: "invalid partition specified: gpu")
        }
        return "MaxArraySize = 10\n"
      }
    }
    let executor = SlurmExecutor(
      store: f.store, cluster: SlurmCluster(commands: Refusing()), storeDirectory: f.dir.path + "/.ablate")
    #expect(throws: SlurmError.self) { try executor.submit(f.request()) }
    let records = try f.store.cells(ids: f.cells.map(\.id)).values
    #expect(
      records.allSatisfy { $0.status == .pending && $0.errorText?.contains("invalid partition") == true })
  }

  @Test func cancelScancelsTheArrayAndInterruptsWhatHadNoResult() throws {
    let f = try Fixture(cells: 3)
    try f.executor.submit(f.request())
    let tasks = try f.tasks()
    try f.finish(tasks[0])
    f.fake.live = tasks.dropFirst().map { f.live($0) }
    let cancelled = try f.executor.cancel(cellIDs: f.cells.map(\.id))
    #expect(f.fake.calls.contains(["scancel", tasks[0].arrayID!]))
    #expect(cancelled.finished == 1 && cancelled.interrupted == 2)
    let records = try f.store.cells(ids: f.cells.map(\.id))
    #expect(records[tasks[0].cellID]?.status == .done)
    #expect(records[tasks[1].cellID]?.status == .interrupted)
    #expect(records[tasks[1].cellID]?.errorText == "cancelled (ablate cancel)")
  }

  @Test func aLocalRunLeavesQueuedCellsToSlurm() throws {
    let f = try Fixture(cells: 1)
    try f.executor.submit(f.request())
    let outcome = try f.store.claim(
      cellID: f.cells[0].id, owner: "local", leaseSeconds: 30, retryFailed: true, provenanceID: nil,
      outputDir: { "\($0)" })
    #expect(outcome == .settled(.queued))
    #expect(try PlannedCell.plan(f.cells, store: f.store, retryFailed: true).allSatisfy { !$0.willRun })
  }
}
