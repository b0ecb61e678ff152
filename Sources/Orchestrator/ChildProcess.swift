import CSpawn
import Foundation

/// A trainer and its whole process tree, owned by a supervisor (`ablate_spawn`): when the trainer ends, when
/// `terminate` gives up on it, or when the runner dies (even by `kill -9`), every descendant is killed, those
/// that left its process group or session included. `pid` is the supervisor's; its status is the trainer's.
///
/// Must be started and waited on by a thread that outlives it: the death signal follows the spawning thread.
public final class ChildProcess {
  public let pid: pid_t
  public private(set) var status: Int32?

  /// Starts `argv` with `environment`; stdout and stderr go to the given files.
  public init(
    argv: [String], environment: [String: String], directory: String, stdout: String, stderr: String
  )
    throws
  {
    let outFD = open(stdout, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    let errFD = open(stderr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    defer {
      if outFD >= 0 { close(outFD) }
      if errFD >= 0 { close(errFD) }
    }
    guard outFD >= 0, errFD >= 0 else { throw RunError("cannot create log files in \(directory)") }
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      cArgs.forEach { free($0) }
      cEnv.forEach { free($0) }
    }
    var error: Int32 = 0
    let pid = ablate_spawn(argv[0], cArgs, cEnv, directory, outFD, errFD, &error)
    guard pid > 0 else {
      throw RunError("cannot start '\(argv[0])': \(String(cString: strerror(error)))")
    }
    self.pid = pid
  }

  /// Waits up to `seconds`; true when the process has ended (its status is then in `status`).
  public func wait(seconds: Double) -> Bool {
    if status != nil { return true }
    var raw: Int32 = 0
    let result = ablate_wait(pid, Int32(max(0, min(seconds, 3600)) * 1000), &raw)
    if result == 1 {
      status = raw
      return true
    }
    if result < 0 {
      status = -1
      return true
    }
    return false
  }

  /// SIGTERM to the trainer's process group (relayed by the supervisor), then, after `grace` seconds, the
  /// supervisor kills the whole tree; waits for the end.
  public func terminate(grace: Double = 2) {
    guard status == nil else { return }
    kill(pid, SIGTERM)
    if !wait(seconds: grace) {
      ablate_stop_tree(pid)
      if !wait(seconds: 10) {
        kill(pid, SIGKILL)
        _ = wait(seconds: 10)
      }
    }
  }

  public var exitCode: Int? {
    guard let status, status >= 0 else { return nil }
    return ablate_exited(status) != 0 ? Int(ablate_exit_code(status)) : nil
  }

  public var terminatingSignal: Int32? {
    guard let status, status >= 0, ablate_signaled(status) != 0 else { return nil }
    return ablate_term_signal(status)
  }
}

/// The signal (SIGINT or SIGTERM) that asked the runner to stop, if any.
public enum StopSignal {
  public static func install() { ablate_install_stop_handlers() }
  public static var received: Int32 { ablate_stop_signal() }
}
