import Foundation
import Store

extension SlurmExecutor {
  /// `ablate cancel`: scancels the arrays holding the cells' queued attempts, ingests what finished before the
  /// cancel landed, and marks the rest interrupted (the next `ablate run` submits them again).
  public func cancel(cellIDs: [String]) throws -> Cancelled {
    let queued = try store.slurmTasks(cellIDs: cellIDs).values.filter { $0.status == .queued }
    guard !queued.isEmpty else { return Cancelled() }
    let submissions = Array(Set(queued.map(\.submission))).sorted()
    try store.markCancelled(submissions: submissions)
    let arrays = Array(Set(queued.compactMap(\.arrayID))).sorted()
    let unnamed = Array(Set(queued.filter { $0.arrayID == nil }.map(\.jobName))).sorted()
    try cluster.cancel(arrayIDs: arrays, jobNames: unnamed)
    let collection = try collect(cellIDs: cellIDs)
    let rest = try store.slurmTasks(cellIDs: cellIDs).values.filter { $0.status == .queued }
    let interrupted = try store.interruptQueued(
      rest.map { CellAttempt(cellID: $0.cellID, attempt: $0.attempt) }, reason: "cancelled (ablate cancel)")
    return Cancelled(
      arrays: arrays, interrupted: interrupted + collection.lost, finished: collection.ingested.count)
  }

  public struct Cancelled: Sendable {
    public var arrays: [String] = []
    /// Cells marked interrupted.
    public var interrupted = 0
    /// Cells whose result arrived before the cancel and was ingested.
    public var finished = 0
  }

  /// One line per cell with a Slurm task: its id, where it stands there and where it ran, for `ablate status`.
  public func describe(
    cellIDs: [String], live: [TaskKey: LiveTask], now: Double = Date().timeIntervalSince1970
  )
    throws -> [String: String]
  {
    var lines: [String: String] = [:]
    for (id, task) in try store.slurmTasks(cellIDs: cellIDs) {
      var parts = [task.slurmID]
      if task.status == .queued {
        if let l = live[TaskKey(jobName: task.jobName, index: task.taskIndex)] {
          parts.append(l.state)
          if let node = l.node, l.state == "RUNNING" { parts.append("on \(node)") }
          if l.state == "PENDING", !l.reason.isEmpty { parts.append("(\(l.reason))") }
        }
        if let beat = Self.heartbeatAge(task, now: now) { parts.append("heartbeat \(Int(beat))s ago") }
      } else {
        if let node = task.node { parts.append("ran on \(node)") }
        if let r = task.restartCount, r > 0 { parts.append("\(r) restart(s)") }
      }
      if let m = task.mismatch { parts.append("MISMATCH: \(m)") }
      lines[id] = parts.joined(separator: " ")
    }
    return lines
  }

  static func heartbeatAge(_ task: SlurmTaskRecord, now: Double) -> Double? {
    guard let directory = task.outputDir,
      let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/heartbeat"),
      let modified = attributes[.modificationDate] as? Date
    else { return nil }
    return max(0, now - modified.timeIntervalSince1970)
  }
}
