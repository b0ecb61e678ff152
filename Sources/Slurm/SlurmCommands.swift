import Foundation

/// Runs one Slurm command-line tool (`sbatch`, `squeue`, `scontrol`, `scancel`) and returns its stdout.
///
/// The one seam between the executor and a cluster: tests inject a fake that answers from fixtures, so the
/// parsing and the state machine are covered without a cluster.
public protocol SlurmCommands: Sendable {
  func run(_ tool: String, _ arguments: [String]) throws -> String
}

/// A Slurm tool that could not be started or exited non-zero.
public struct SlurmError: Error, Sendable, CustomStringConvertible {
  public var command: String
  public var message: String

  public init(command: String, message: String) {
    self.command = command
    self.message = message
  }

  public var description: String { "\(command): \(message)" }
}

/// The cluster's own tools, found on `PATH` (they read `SLURM_CONF` from the environment).
public struct SystemSlurmCommands: SlurmCommands {
  public init() {}

  public func run(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let line = ([tool] + arguments).joined(separator: " ")
    do { try process.run() } catch {
      throw SlurmError(command: line, message: "cannot start: \(error.localizedDescription)")
    }
    // Read stderr beside stdout, so a chatty tool never blocks on a full pipe.
    let errors = ErrorCollector(err.fileHandleForReading)
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let stderr = errors.wait()
    guard process.terminationStatus == 0 else {
      let text = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      let reason = text.isEmpty ? "exit code \(process.terminationStatus)" : text
      throw SlurmError(command: line, message: reason)
    }
    return String(decoding: stdout, as: UTF8.self)
  }
}

/// Drains a pipe on a background thread.
private final class ErrorCollector: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
