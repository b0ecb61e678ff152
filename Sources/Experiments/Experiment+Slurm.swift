import Foundation
import Orchestrator
import Slurm
import Spec
import Store

extension Experiment {
  /// One `ablate run --executor slurm`: what was collected, what was lost, what went out as which arrays.
  public struct SlurmRound: Sendable {
    public var collected: Int
    /// Queued cells with no result and no live task: submitted again.
    public var lost: Int
    public var submittedCells: Int
    public var arrays: [SlurmExecutor.Submitted]
    /// Some cell is queued on the cluster now (so there is something to follow).
    public var anyQueued: Bool
  }

  /// Collects the results that arrived, then submits every cell with no result and no live task as job arrays,
  /// and returns without waiting.
  public func submitToSlurm(_ run: PreparedRun, settings: SlurmSettings) throws -> SlurmRound {
    let executor = slurmExecutor(run.store)
    return try clusterCall {
      let collected = try executor.collect(cellIDs: cellIDs)
      if let problem = collected.squeueError {
        throw SlurmError(command: "squeue", message: problem + "; cannot tell live tasks from lost ones")
      }
      let planned = try plan(store: run.store, retryFailed: run.request.retryFailed)
      let submit = Set(planned.filter(\.willRun).map(\.cell.id))
      let submitted = try executor.submit(
        SlurmExecutor.Request(
          spec: spec, cells: cells, submit: submit, launch: launch, settings: settings,
          executable: executable,
          provenanceID: run.provenanceID, gitCommit: run.gitCommit, retryFailed: run.request.retryFailed))
      return SlurmRound(
        collected: collected.ingested.count, lost: collected.lost, submittedCells: submit.count,
        arrays: submitted,
        anyQueued: !submitted.isEmpty || planned.contains(where: { $0.record?.status == .queued }))
    }
  }

  /// Polls the result files until none of the cells is queued.
  public func waitForSlurm(_ run: PreparedRun) throws {
    let executor = slurmExecutor(run.store)
    try clusterCall {
      while try run.store.cells(ids: cellIDs).values.contains(where: { $0.status == .queued }) {
        Thread.sleep(forTimeInterval: 0.2)
        try executor.collect(cellIDs: cellIDs)
      }
    }
  }

  /// Scancels the cells' arrays and marks their queued cells interrupted; nil when there is no store.
  public func cancelOnSlurm() throws -> SlurmExecutor.Cancelled? {
    guard FileManager.default.fileExists(atPath: storePath) else { return nil }
    let executor = slurmExecutor(try openStore())
    return try clusterCall { try executor.cancel(cellIDs: cellIDs) }
  }

  /// Where each cell's Slurm task stands (empty when none went to Slurm), and a warning when the queue could
  /// not be read. While some are queued this is a writer: it opens the store and collects what arrived.
  func slurmColumn(_ opened: Store) throws -> (column: [String: String], warning: String?) {
    let tasks = try opened.slurmTasks(cellIDs: cellIDs)
    guard !tasks.isEmpty else { return ([:], nil) }
    var reader = opened
    var live: [SlurmExecutor.TaskKey: LiveTask] = [:]
    var warning: String?
    if tasks.values.contains(where: { $0.status == .queued }) {
      reader = try openStore()
      let collection: SlurmExecutor.Collection
      do { collection = try slurmExecutor(reader).collect(cellIDs: cellIDs) } catch {
        throw ExperimentError.cluster("\(error)")
      }
      if let problem = collection.squeueError { warning = "\(problem) (which tasks are alive is unknown)" }
      live = collection.live
    }
    return (try slurmExecutor(reader).describe(cellIDs: cellIDs, live: live), warning)
  }

  private func slurmExecutor(_ store: Store) -> SlurmExecutor {
    SlurmExecutor(store: store, cluster: SlurmCluster(), storeDirectory: storeDirectory)
  }

  /// Runs `body`, turning the cluster's failures into `ExperimentError.cluster`.
  private func clusterCall<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as SlurmError { throw ExperimentError.cluster("\(error)") }
  }
}
