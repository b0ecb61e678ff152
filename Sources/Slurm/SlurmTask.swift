import CSpawn
import Foundation
import Hashing
import Orchestrator
import Primitives
import Provenance
import Store
import TrainerProtocol

/// One array element on a compute node (`ablate slurm-task DIR`, the batch script's only command): runs its
/// cell through the trainer protocol in the cell's attempt directory, never opening the store.
///
/// It leaves a heartbeat while the trainer runs and, last, `result.json` (atomically renamed). On Slurm's
/// warning signal before the time limit it stops the trainer (SIGTERM to its group: a built-in trainer
/// checkpoints) and requeues itself, up to `maxRequeues` times; on SIGTERM (preemption, scancel, a node going
/// down) it stops the trainer and leaves no result, so Slurm's requeue or the next `ablate run` runs it again.
public final class SlurmTask {
  let directory: String
  let plan: TaskPlan
  let entry: TaskEntry
  let environment: [String: String]
  let cluster: SlurmCluster

  /// Seconds between heartbeats.
  public static let heartbeatInterval = 5.0

  public init(submissionDirectory: String, environment: [String: String], cluster: SlurmCluster) throws {
    directory = submissionDirectory
    self.environment = environment
    self.cluster = cluster
    plan = try TaskPlan.read(from: submissionDirectory)
    guard let raw = environment["SLURM_ARRAY_TASK_ID"], let index = Int(raw) else {
      throw SlurmError(
        command: "slurm-task", message: "SLURM_ARRAY_TASK_ID is not set: run under sbatch --array")
    }
    entry = try TaskEntry.read(index: index, from: submissionDirectory)
  }

  var attemptDirectory: String { entry.directory }
  var restartCount: Int { environment["SLURM_RESTART_COUNT"].flatMap(Int.init) ?? 0 }

  /// Runs the cell; returns the process's exit code.
  public func run(executable: String) -> Int32 {
    ablate_install_warning_handler(SIGUSR1)
    StopSignal.install()
    if FileManager.default.fileExists(atPath: attemptDirectory + "/" + TaskResultFile.fileName) {
      return 0  // a requeue after the result was written: the attempt is over
    }
    let provenance = provenance(executable: executable)
    let started = Date()
    var tries = 0
    while true {
      let outcome = runTrainer(started: started)
      switch outcome {
      case .finished(let result):
        if result.status != .done, tries < plan.retries {
          tries += 1
          continue
        }
        return write(result, started: started, provenance: provenance) ? 0 : 1
      case .warned:
        note("Slurm's time-limit warning (restart \(restartCount)): trainer stopped")
        if plan.requeue, restartCount < plan.maxRequeues, let array = environment["SLURM_ARRAY_JOB_ID"] {
          do {
            try cluster.requeue(arrayID: array, taskIndex: entry.index)
            note("requeued \(array)_\(entry.index)")
            return 0
          } catch {
            note("requeue failed: \(error)")
          }
        }
        let limit = plan.timeMinutes.map { " (\($0) min)" } ?? ""
        let result =
          plan.requeue
          ? stopped(
            .timedOut, "reached the Slurm time limit\(limit) after \(restartCount) requeue(s)",
            started: started)
          : stopped(
            .interrupted,
            "reached the Slurm time limit\(limit); requeue is off, the next ablate run submits it again",
            started: started)
        return write(result, started: started, provenance: provenance) ? 0 : 1
      case .stopped(let signal):
        note("stopped by signal \(signal) (preemption, scancel or node shutdown): no result; it runs again")
        return 128 + signal
      }
    }
  }

  enum Outcome {
    case finished(AttemptResult)
    /// Slurm's warning signal (time limit ahead).
    case warned
    /// SIGTERM/SIGINT: the job is being taken away.
    case stopped(Int32)
  }

  private func runTrainer(started: Date) -> Outcome {
    let fm = FileManager.default
    let layout = RunLayout(root: URL(fileURLWithPath: plan.storeDirectory, isDirectory: true))
    let protocolNames = TrainerEnvironment.forAttempt(
      cell: entry.cellID, number: entry.attempt, layout: layout)
    let metricsPath = protocolNames[TrainerEnvironment.metrics]!
    _ = fm.createFile(atPath: metricsPath, contents: nil)
    // The store's caches unless the node's environment names others; the attempt's own names always.
    var env = environment
    for (k, v) in plan.environment where env[k] == nil { env[k] = v }
    env.merge(protocolNames) { _, attempt in attempt }
    // The cell's checkpoints outlive its attempts and restarts: a requeued trainer resumes from them.
    try? fm.createDirectory(
      atPath: protocolNames[TrainerEnvironment.checkpointDirectory]!, withIntermediateDirectories: true)
    let stderrPath = attemptDirectory + "/stderr.log"
    let child: ChildProcess
    let begun = Date()
    do {
      child = try ChildProcess(
        argv: plan.argv, environment: env, directory: plan.workingDirectory,
        stdout: attemptDirectory + "/stdout.log", stderr: stderrPath)
    } catch {
      return .finished(stopped(.failed, "\(error)", started: started))
    }
    let metrics = MetricsTail(path: metricsPath)
    var points: [MetricPoint] = []
    var lastBeat = Date.distantPast
    var lastPoll = Date()
    var timedOut = false
    while !child.wait(seconds: 0.1) {
      let now = Date()
      if now.timeIntervalSince(lastBeat) >= Self.heartbeatInterval {
        heartbeat(now)
        lastBeat = now
      }
      if now.timeIntervalSince(lastPoll) >= 1 {
        points += metrics.poll(time: now.timeIntervalSince1970)
        lastPoll = now
      }
      if ablate_warning_signal() != 0 {
        child.terminate(grace: 10)
        return .warned
      }
      if StopSignal.received != 0 {
        child.terminate(grace: 2)
        return .stopped(StopSignal.received)
      }
      if let limit = plan.timeoutSeconds, now.timeIntervalSince(begun) > limit {
        child.terminate()
        timedOut = true
        break
      }
    }
    // Slurm signals every process of the job at once (requeue, scancel, preemption): a trainer killed by a
    // signal may end a moment before this process sees its own SIGTERM. That is the job being taken away, not
    // the trainer failing.
    if let signal = child.terminatingSignal, [SIGTERM, SIGINT, SIGKILL].contains(signal) {
      let deadline = Date().addingTimeInterval(1)
      while StopSignal.received == 0, ablate_warning_signal() == 0, Date() < deadline {
        Thread.sleep(forTimeInterval: 0.02)
      }
      if ablate_warning_signal() != 0 { return .warned }
      if StopSignal.received != 0 { return .stopped(StopSignal.received) }
    }
    let ended = Date()
    while true {
      let fresh = metrics.poll(time: ended.timeIntervalSince1970, atEnd: true)
      if fresh.isEmpty { break }
      points += fresh
    }
    var status: CellStatus
    var errorText: String?
    if timedOut {
      status = .timedOut
      errorText =
        "timed out after \(Int(plan.timeoutSeconds ?? 0)) s (run.timeout, counted from the trainer's start)"
    } else if let bad = metrics.firstNonFinite {
      status = .diverged
      errorText = "metric '\(bad.name)' is \(bad.value)" + (bad.step.map { " at step \($0)" } ?? "")
    } else if child.exitCode == 0 {
      status = .done
    } else {
      status = .failed
      errorText =
        child.terminatingSignal.map { "killed by signal \($0)" } ?? "exit code \(child.exitCode ?? -1)"
    }
    let tail = Runner.tail(of: stderrPath)
    if status != .done, !tail.isEmpty { errorText = (errorText.map { $0 + "\n" } ?? "") + tail }
    if let note = metrics.note { errorText = (errorText.map { $0 + "\n" } ?? "") + note }
    return .finished(
      AttemptResult(
        status: status, exitCode: child.exitCode, errorText: errorText, endedAt: ended.timeIntervalSince1970,
        duration: ended.timeIntervalSince(started), points: points, finals: metrics.finals,
        artifacts: status == .done ? Runner.artifacts(in: attemptDirectory) : []))
  }

  private func stopped(_ status: CellStatus, _ message: String, started: Date) -> AttemptResult {
    let now = Date()
    return AttemptResult(
      status: status, exitCode: nil, errorText: message, endedAt: now.timeIntervalSince1970,
      duration: now.timeIntervalSince(started), points: [], finals: [], artifacts: [])
  }

  private func write(_ result: AttemptResult, started: Date, provenance: SlurmAttemptProvenance) -> Bool {
    let file = TaskResultFile(
      cell: entry.cellID, attempt: entry.attempt, result: result, startedAt: started.timeIntervalSince1970,
      slurm: provenance)
    do {
      try file.write(to: attemptDirectory)
      return true
    } catch {
      FileHandle.standardError.write(Data("ablate slurm-task: \(error)\n".utf8))
      return false
    }
  }

  /// Where this attempt ran, and whether the node's code is what was submitted.
  func provenance(executable: String) -> SlurmAttemptProvenance {
    var mismatches: [String] = []
    let binary = (try? SHA256.hex(fileAt: URL(fileURLWithPath: executable))) ?? "unreadable"
    if binary != plan.binarySHA256 {
      mismatches.append(
        "binary \(executable) has sha256 \(binary.prefix(12)), submitted \(plan.binarySHA256.prefix(12))")
    }
    let git = try? GitState.read(at: plan.workingDirectory, ignoring: [plan.storeDirectory])
    if git?.commit != plan.gitCommit {
      mismatches.append("git revision \(git?.commit ?? "none"), submitted \(plan.gitCommit ?? "none")")
    }
    return SlurmAttemptProvenance(
      jobID: environment["SLURM_JOB_ID"], arrayID: environment["SLURM_ARRAY_JOB_ID"], taskIndex: entry.index,
      restartCount: restartCount, node: environment["SLURMD_NODENAME"],
      partition: environment["SLURM_JOB_PARTITION"], gitCommit: git?.commit, binarySHA256: binary,
      mismatch: mismatches.isEmpty ? nil : mismatches.joined(separator: "; "))
  }

  /// `heartbeat`: when the task last looked alive, and where; read by `ablate status`.
  private func heartbeat(_ now: Date) {
    let text =
      "{\"time\":\(now.timeIntervalSince1970),\"node\":\"\(environment["SLURMD_NODENAME"] ?? "")\",\"job\":\"\(environment["SLURM_JOB_ID"] ?? "")\",\"restart\":\(restartCount)}\n"
    try? AtomicFile.write(Data(text.utf8), to: attemptDirectory + "/heartbeat")
  }

  /// One line in `interruptions.jsonl` (and the job's log) per interruption, so `status` can say why.
  private func note(_ message: String) {
    let line =
      "{\"time\":\(Date().timeIntervalSince1970),\"restart\":\(restartCount),\"message\":\(Self.quote(message))}\n"
    if let handle = FileHandle(forWritingAtPath: attemptDirectory + "/interruptions.jsonl")
      ?? (FileManager.default.createFile(atPath: attemptDirectory + "/interruptions.jsonl", contents: nil)
        ? FileHandle(forWritingAtPath: attemptDirectory + "/interruptions.jsonl") : nil)
    {
      handle.seekToEndOfFile()
      handle.write(Data(line.utf8))
      try? handle.close()
    }
    FileHandle.standardError.write(Data("ablate slurm-task \(entry.cellID.prefix(12)): \(message)\n".utf8))
  }

  static func quote(_ text: String) -> String { JSONString.quoted(text) }
}
