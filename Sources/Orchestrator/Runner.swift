import Foundation
import Spec
import Store
import TrainerProtocol

/// Runs a spec's cells with N worker threads, claiming each in the store under a lease.
///
/// Workers are plain threads, not tasks: each one blocks on its child process, and the child's death signal
/// follows the thread that spawned it, so the thread must live as long as the child.
public final class Runner: @unchecked Sendable {
  let store: Store
  let launch: TrainerLaunch
  let options: RunOptions
  let provenanceID: Int64?
  let progress: Progress
  /// "host/pid/random": tells a live runner from a dead one on the same host.
  public let owner: String

  private let lock = NSLock()
  private var queue: [Cell]
  private var next = 0
  /// Cells another runner holds: retried after its lease could have ended.
  private var deferred: [(cell: Cell, retryAt: Double)] = []
  private var active = 0
  private var summary = RunSummary()
  /// Set by the first resource failure (a full disk, a lost permission): no further cell is started.
  private var halted: String?

  public init(
    store: Store, cells: [Cell], launch: TrainerLaunch, options: RunOptions, provenanceID: Int64?,
    progress: Progress
  ) {
    self.store = store
    self.queue = cells
    self.launch = launch
    self.options = options
    self.provenanceID = provenanceID
    self.progress = progress
    owner = "\(Runner.host)/\(getpid())/\(UUID().uuidString.prefix(8))"
  }

  static let host = ProcessInfo.processInfo.hostName

  /// Runs every claimable cell; returns when all are settled or a stop signal arrived.
  public func run() -> RunSummary {
    let group = DispatchGroup()
    for _ in 0..<min(options.jobs, max(1, queue.count)) {
      group.enter()
      let thread = Thread { [self] in
        work()
        group.leave()
      }
      thread.stackSize = 4 << 20
      thread.start()
    }
    group.wait()
    progress.finish()
    summary.stopSignal = StopSignal.received
    summary.environmentFailure = lock.withLock { halted }
    if summary.stopSignal != 0 || summary.environmentFailure != nil {
      // Best effort: on a full disk this may fail too, and the next runner takes the dead lease over.
      _ = try? store.interrupt(owner: owner)
    }
    return summary
  }

  /// True once a stop signal or a resource failure means no new cell should start.
  var stopping: Bool { StopSignal.received != 0 || lock.withLock { halted != nil } }

  /// Records a failure of the environment (not of a cell) and stops the sweep; the first one is reported.
  func halt(_ cause: String) {
    lock.withLock { if halted == nil { halted = cause } }
  }

  private func work() {
    while !stopping, let cell = take() {
      process(cell)
    }
  }

  /// The next cell to try: the queue first, then deferred cells whose holders' leases may have ended.
  private func take() -> Cell? {
    while !stopping {
      let (cell, wait): (Cell?, Bool) = lock.withLock {
        if next < queue.count {
          next += 1
          active += 1
          return (queue[next - 1], false)
        }
        let now = Date().timeIntervalSince1970
        if let index = deferred.firstIndex(where: { $0.retryAt <= now }) {
          active += 1
          return (deferred.remove(at: index).cell, false)
        }
        return (nil, !deferred.isEmpty || active > 0)
      }
      if let cell { return cell }
      if !wait { return nil }
      Thread.sleep(forTimeInterval: 0.2)
    }
    return nil
  }

  private func process(_ cell: Cell) {
    defer { lock.withLock { active -= 1 } }
    let outcome: ClaimOutcome
    do {
      outcome = try store.claim(
        cellID: cell.id, owner: owner, leaseSeconds: options.leaseSeconds, retryFailed: options.retryFailed,
        provenanceID: provenanceID, outputDir: { self.outputDirectory(cell, attempt: $0) },
        takeOver: Runner.isDeadLocalOwner)
    } catch {
      // Nothing was claimed (the transaction rolled back): the cell stays as it was, pending.
      halt("\(error)")
      progress.stopped(cell)
      return
    }
    switch outcome {
    case .claimed(let attempt):
      runAttempts(cell, firstAttempt: attempt)
    case .busy(_, let expiresAt):
      lock.withLock {
        deferred.append((cell, min(expiresAt, Date().timeIntervalSince1970 + 1)))
      }
    case .settled(let status):
      // Settled by another runner while this one waited.
      count(status.rawValue, handedOff: true)
      progress.handedOff(cell)
    case .missing:
      count("error")
    }
  }

  private func runAttempts(_ cell: Cell, firstAttempt: Int) {
    var attempt = firstAttempt
    var retriesLeft = options.retries
    progress.started(cell)
    while true {
      guard let result = runAttempt(cell, attempt: attempt) else {
        progress.stopped(cell)
        return
      }
      if result.status != .done, retriesLeft > 0, !stopping {
        retriesLeft -= 1
        progress.retrying(cell, status: result.status, attempt: attempt + 1)
        guard
          let nextAttempt = try? store.nextAttempt(
            cellID: cell.id, owner: owner, attempt: attempt, leaseSeconds: options.leaseSeconds,
            outputDir: { self.outputDirectory(cell, attempt: $0) })
        else {
          progress.stopped(cell)
          return
        }
        attempt = nextAttempt
        continue
      }
      let recorded: Bool
      do {
        recorded = try store.finish(cellID: cell.id, owner: owner, attempt: attempt, result: result)
      } catch {
        // The result could not be stored: the cell is left to `interrupt` and runs again next time.
        halt("\(error)")
        progress.stopped(cell)
        return
      }
      count(recorded ? result.status.rawValue : "lost")
      progress.finished(
        cell, status: result.status, seconds: result.duration,
        note: recorded ? result.errorText.map(Self.firstLine) : "lease lost; another runner owns this cell")
      return
    }
  }

  private func count(_ key: String, handedOff: Bool = false) {
    lock.withLock {
      summary.counts[key, default: 0] += 1
      if handedOff { summary.leftToOthers += 1 }
    }
  }

  func outputDirectory(_ cell: Cell, attempt: Int) -> String {
    options.layout.attempt(cell: cell.id, attempt).path
  }

  /// The cell's own directory that every attempt sees: a trainer's checkpoints survive timeouts and retries.
  func checkpointDirectory(_ cell: Cell) -> String {
    options.layout.checkpoint(cell: cell.id).path
  }

  /// A lease whose owner is a process on this host that no longer runs: gone (a runner killed with SIGKILL),
  /// or killed and not yet reaped by its parent (a zombie answers `kill(pid, 0)` but will never renew).
  static func isDeadLocalOwner(_ owner: String) -> Bool {
    let parts = owner.split(separator: "/")
    guard parts.count == 3, parts[0] == host, let pid = pid_t(parts[1]), pid != getpid() else { return false }
    if kill(pid, 0) != 0 { return errno == ESRCH }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
    return state == "Z" || state == "X"
  }

  static func firstLine(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    return lines.last.map(String.init) ?? text
  }
}
