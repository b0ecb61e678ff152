import Foundation
import Hashing
import Orchestrator
import Spec
import Store

/// The submitting side of the Slurm executor, and the store's only writer: submits a spec's cells as one job
/// array and returns; later collects the result files the tasks left, idempotently, keyed by (cell, attempt).
///
/// Result files are the truth. `squeue` says only which tasks are still alive: a queued cell with no result
/// and no live task (cancelled while pending, killed, its node lost without requeue) is marked interrupted, so
/// the next submit sends it again.
public final class SlurmExecutor {
  let store: Store
  let cluster: SlurmCluster
  /// Where submissions keep their scripts, manifests and logs: `<store dir>/slurm/<submission>/`.
  let storeDirectory: String

  /// A submission without an array id yet (its `sbatch` may be running in another process) counts as live
  /// for this long.
  public static let submitGrace = 60.0

  public init(store: Store, cluster: SlurmCluster, storeDirectory: String) {
    self.store = store
    self.cluster = cluster
    self.storeDirectory = storeDirectory
  }

  /// Ingests every result file of the cells' queued attempts and marks queued cells whose task is gone without
  /// a result as interrupted. `squeue` is asked first, then the files are read, so a task that finishes in
  /// between is seen by its result and never mistaken for lost.
  @discardableResult
  public func collect(cellIDs: [String], now: Double = Date().timeIntervalSince1970) throws -> Collection {
    var collection = Collection()
    let queued = try store.slurmTasks(cellIDs: cellIDs).values.filter { $0.status == .queued }
    guard !queued.isEmpty else { return collection }
    let names = Array(Set(queued.map(\.jobName))).sorted()
    var live: Set<TaskKey>?
    do {
      let tasks = try cluster.liveTasks(jobNames: names)
      live = Set(tasks.map { TaskKey(jobName: $0.jobName, index: $0.taskIndex) })
      for task in tasks { collection.live[TaskKey(jobName: task.jobName, index: task.taskIndex)] = task }
    } catch {
      collection.squeueError = "\(error)"
    }
    // Results are ingested as they are read, a transaction's worth of points at a time: memory holds one
    // batch of curves, not every task's.
    var results: [SlurmTaskResult] = []
    var unsent = 0
    var lost: [CellAttempt] = []
    var reasons: [String: String] = [:]
    for task in queued {
      guard let directory = task.outputDir else { continue }
      if let file = TaskResultFile.read(from: directory, cell: task.cellID, attempt: task.attempt) {
        results.append(file.taskResult)
        unsent += file.points.count
        if unsent >= Store.pointsPerTransaction {
          collection.ingested += try store.ingest(results, now: now)
          results.removeAll(keepingCapacity: true)
          unsent = 0
        }
        continue
      }
      guard let live else { continue }
      let key = TaskKey(jobName: task.jobName, index: task.taskIndex)
      if live.contains(key) { continue }
      if task.arrayID == nil, now - task.submittedAt < Self.submitGrace { continue }
      lost.append(CellAttempt(cellID: task.cellID, attempt: task.attempt))
      reasons[task.cellID] = Self.lostReason(task)
    }
    collection.ingested += try store.ingest(results, now: now)
    // One reason per cell: what its last interruption said, or that it left no trace.
    for cell in lost {
      collection.lost += try store.interruptQueued([cell], reason: reasons[cell.cellID] ?? "lost", now: now)
    }
    return collection
  }

  /// Why a task is gone: the last line it noted, or what leaving no trace means.
  static func lostReason(_ task: SlurmTaskRecord) -> String {
    let base = "Slurm task \(task.slurmID) ended without a result"
    if task.cancelled { return "cancelled (ablate cancel); \(task.slurmID) left no result" }
    if let directory = task.outputDir,
      let text = try? String(contentsOfFile: directory + "/interruptions.jsonl", encoding: .utf8),
      let last = text.split(separator: "\n").last,
      let data = last.data(using: .utf8),
      let note = try? JSONDecoder().decode(Interruption.self, from: data)
    {
      return "\(base): \(note.message)"
    }
    return base + " (cancelled while pending, killed, past its time limit, or its node failed)"
  }

  struct Interruption: Decodable {
    var message: String
  }

  /// What one `collect` found.
  public struct Collection: Sendable {
    public var ingested: [String] = []
    public var lost = 0
    /// Live array elements, by job name and index.
    public var live: [TaskKey: LiveTask] = [:]
    /// Why liveness is unknown this time (no cluster reachable): nothing was marked lost.
    public var squeueError: String?
  }

  /// An array element, named the way `squeue` and the store both know it.
  public struct TaskKey: Sendable, Hashable {
    public var jobName: String
    public var index: Int
  }
}
