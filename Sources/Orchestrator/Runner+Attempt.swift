import Foundation
import Hashing
import Spec
import Store
import TrainerProtocol

extension Runner {
  /// Runs one attempt of a claimed cell through the external-command protocol.
  /// Returns nil when the run was stopped (signal or lost lease): the cell is then left for `interrupt`.
  func runAttempt(_ cell: Cell, attempt: Int) -> AttemptResult? {
    let directory = outputDirectory(cell, attempt: attempt)
    let fm = FileManager.default
    let started = Date()
    let configPath = directory + "/config.json"
    let configYAMLPath = directory + "/config.yaml"
    let metricsPath = directory + "/metrics.jsonl"
    let checkpointPath = checkpointDirectory(cell)
    do {
      try? fm.removeItem(atPath: directory)
      try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try fm.createDirectory(atPath: checkpointPath, withIntermediateDirectories: true)
      // Plain writes, no fsync: a crash before the result is recorded re-runs the attempt anyway.
      try Self.writeFile(configPath, cell.config.canonicalJSON + "\n")
      try Self.writeFile(configYAMLPath, cell.config.yaml)
      try Self.writeFile(metricsPath, "")
    } catch {
      return unprepared(cell, attempt: attempt, "cannot prepare \(directory): \(error)")
    }
    // The attempt's own names always; stages (pre-training, fine-tuning) and built worlds are shared by every
    // cell on this store, beside it, whatever directory the trainer runs in, unless the environment names others.
    var environment = ProcessInfo.processInfo.environment
    environment.merge(TrainerEnvironment.caches(options.layout)) { given, _ in given }
    environment.merge(TrainerEnvironment.forAttempt(cell: cell.id, number: attempt, layout: options.layout)) {
      _, attempt in attempt
    }
    do {
      environment[TrainerEnvironment.inputs] = Self.inputsJSON(
        try prepareStages(cell, attempt: attempt, started: started))
    } catch {
      let status: CellStatus
      let text: String
      switch error {
      case .stopped: return nil
      case .failed(let why): (status, text) = (.failed, why)
      case .timedOut:
        (status, text) = (
          .timedOut, "timed out after \(Progress.format(options.timeoutSeconds ?? 0)) in its stages"
        )
      }
      let ended = Date()
      return AttemptResult(
        status: status, exitCode: nil, errorText: text, endedAt: ended.timeIntervalSince1970,
        duration: ended.timeIntervalSince(started), points: [], finals: [], artifacts: [])
    }
    let stderrPath = directory + "/stderr.log"
    let child: ChildProcess
    do {
      let placeholders: [TrainerPlaceholder: String] = [
        .config: configPath, .configYAML: configYAMLPath, .outputDir: directory,
        .checkpointDir: checkpointPath,
        .seed: String(cell.seed), .cellID: cell.id, .attempt: String(attempt),
      ]
      child = try ChildProcess(
        argv: launch.argv.map { TrainerPlaceholder.fill($0, placeholders) }, environment: environment,
        directory: launch.workingDirectory,
        stdout: directory + "/stdout.log", stderr: stderrPath)
    } catch {
      return unprepared(cell, attempt: attempt, "\(error)")
    }

    var timedOut = false
    // Whether the disk was full at any moment while the trainer ran: it may have freed the space again
    // (a removed temporary file) before it ended.
    var ranOutOfSpace = false
    var lastRenewal = Date()
    var lastStream = Date()
    let metrics = MetricsTail(path: metricsPath)
    // Points read but not yet in the store; each point is written once, streamed or with the result.
    var unsent: [MetricPoint] = []
    let batch = Store.pointsPerTransaction
    /// Reads and writes new points a bounded batch at a time (the lock is free while the next batch is
    /// parsed) until the file is drained or `seconds` pass.
    func stream(atEnd: Bool, seconds: Double) -> Streamed {
      let deadline = Date().addingTimeInterval(seconds)
      repeat {
        // While the store refuses points (a full disk) they wait in the file, not in memory.
        let fresh =
          unsent.count < 4 * batch
          ? metrics.poll(time: Date().timeIntervalSince1970, atEnd: atEnd, limit: batch) : []
        unsent += fresh
        if unsent.isEmpty { return .caughtUp }
        do {
          guard try store.appendPoints(cellID: cell.id, owner: owner, attempt: attempt, points: unsent) else {
            return .lost
          }
          unsent.removeAll(keepingCapacity: true)
        } catch {
          return .behind(error)  // kept for the next batch; the store may have room again
        }
        if fresh.isEmpty { return .caughtUp }
      } while Date() < deadline
      return .caughtUp
    }
    while !child.wait(seconds: 0.1) {
      if !ranOutOfSpace, DiskSpace.isFull(at: directory) { ranOutOfSpace = true }
      // Curves appear in the store while the cell runs, in batches, as points of this attempt.
      if Date().timeIntervalSince(lastStream) >= 1 {
        lastStream = Date()
        if case .lost = stream(atEnd: false, seconds: 1) {
          child.terminate()
          return nil
        }
      }
      if let interruption = interruption(cell, attempt: attempt, started: started, lastRenewal: &lastRenewal)
      {
        child.terminate()
        guard interruption == .timedOut else { return nil }
        timedOut = true
        break
      }
    }
    let ended = Date()
    switch stream(atEnd: true, seconds: .infinity) {
    case .caughtUp: break
    case .lost: return nil
    case .behind(let error):
      // A result without its whole curve is never recorded: the cell is left to `interrupt` and runs again.
      halt("\(error)")
      return nil
    }

    var status: CellStatus
    var errorText: String?
    let stderrTail = Self.tail(of: stderrPath)
    if timedOut {
      status = .timedOut
      errorText = "timed out after \(Progress.format(options.timeoutSeconds ?? 0))"
    } else if let bad = metrics.firstNonFinite {
      status = .diverged
      let at = bad.step.map { " at step \($0)" } ?? ""
      errorText = "metric '\(bad.name)' is \(bad.value)\(at)"
    } else if child.exitCode == 0 {
      status = .done
    } else {
      status = .failed
      if let signal = child.terminatingSignal {
        errorText = "killed by signal \(signal)"
      } else {
        errorText = "exit code \(child.exitCode ?? -1)"
      }
    }
    if !timedOut,
      ranOutOfSpace || DiskSpace.isFull(at: directory)
        || (status != .done && Self.saysOutOfSpace(stderrTail))
    {
      // The trainer ran out of space (it may have failed for it, or lost metrics it could not append):
      // not a verdict on the cell, which runs again once there is room.
      return unprepared(
        cell, attempt: attempt,
        "\(directory): the disk is full (the trainer ran out of space); free some space and run again")
    }
    if status != .done, !stderrTail.isEmpty {
      errorText = (errorText.map { $0 + "\n" } ?? "") + stderrTail
    }
    if let note = metrics.note {
      errorText = errorText.map { note + "\n" + $0 } ?? note
    }
    let artifacts = status == .done ? Self.artifacts(in: directory) : []
    return AttemptResult(
      status: status, exitCode: child.exitCode, errorText: errorText, endedAt: ended.timeIntervalSince1970,
      duration: ended.timeIntervalSince(started), points: unsent, finals: metrics.finals,
      artifacts: artifacts)
  }

  /// Where streaming a running cell's points left off.
  enum Streamed {
    case caughtUp
    /// The store refused a batch (its error); the points wait.
    case behind(any Error)
    /// The lease is gone: another runner owns the cell.
    case lost
  }

  /// An attempt that never started because the machine failed (no space, no permission, no executable): the
  /// cell goes back to pending, not settled as failed, and the sweep stops with the cause.
  func unprepared(_ cell: Cell, attempt: Int, _ cause: String) -> AttemptResult? {
    halt(cause)
    _ = try? store.release(cellID: cell.id, owner: owner, attempt: attempt)
    return nil
  }

  /// The trainer's last words name a full disk or quota (`strerror` of ENOSPC or EDQUOT, as every language
  /// prints it), on whatever filesystem: the failure is the machine's, not the cell's.
  static func saysOutOfSpace(_ stderr: String) -> Bool {
    stderr.contains("No space left on device") || stderr.contains("Disk quota exceeded")
  }

  static func writeFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw RunError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { throw RunError("cannot write \(path): \(String(cString: strerror(errno)))") }
      bytes = bytes.dropFirst(written)
    }
  }

  /// The last 2 KB of a log, cut at a line start.
  public static func tail(of path: String, bytes: Int = 2048) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()) ?? 0
    let start = size > UInt64(bytes) ? size - UInt64(bytes) : 0
    try? handle.seek(toOffset: start)
    var text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    if start > 0, let newline = text.firstIndex(of: "\n") {
      text = String(text[text.index(after: newline)...])
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Files the trainer left (the protocol's own files excluded), with their sha256.
  public static func artifacts(in directory: String) -> [Artifact] {
    let own: Set<String> = [
      "config.json", "config.yaml", "metrics.jsonl", "stdout.log", "stderr.log", "result.json", "heartbeat",
      "interruptions.jsonl",
    ]
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [Artifact] = []
    while let relative = walker.nextObject() as? String {
      if own.contains(relative) { continue }
      let path = directory + "/" + relative
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64,
        let sha256 = try? SHA256.hex(fileAt: URL(fileURLWithPath: path))
      else { continue }
      // Streamed: a checkpoint of gigabytes is hashed in constant memory.
      found.append(Artifact(path: relative, sha256: sha256, bytes: size))
    }
    return found.sorted { $0.path < $1.path }
  }
}
