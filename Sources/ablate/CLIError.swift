import ArgumentParser
import Experiments
import Foundation
import Primitives
import Store

/// Every way an `ablate` command fails: one type, one stderr format (`ablate: ` and one line per problem),
/// and the exit codes every command shares (README, "Exit codes"), so a script can tell "fix your spec" (2)
/// from "fix the machine" (3) from "a cell failed" (1) without reading the message.
enum CLIError: Error, CustomStringConvertible {
  /// A spec, an option, a `--set`, an unknown cell or variant: exit code 2, nothing was written.
  case badInput(lines: [String])
  /// The disk is full, a permission is missing, the store is damaged or not an ablate store, the trainer's
  /// executable is not there: exit code 3; cells that could not run stay pending.
  case environment(String)
  /// Some cell failed, diverged or timed out, or the cluster failed a command: exit code 1.
  case failed(String?)
  /// Stopped by a signal: exit code 128 + the signal.
  case stopped(Int32)

  static func badInput(_ line: String) -> CLIError { .badInput(lines: [line]) }
  static func badInput(_ lines: [String]) -> CLIError { .badInput(lines: lines) }

  var exitCode: Int32 {
    switch self {
    case .badInput: 2
    case .environment: 3
    case .failed: 1
    case .stopped(let signal): 128 + signal
    }
  }

  var lines: [String] {
    switch self {
    case .badInput(let lines): lines
    case .environment(let line): [line]
    case .failed(let line): line.map { [$0] } ?? []
    case .stopped(let signal): ["stopped by signal \(signal); running cells marked interrupted"]
    }
  }

  var description: String { lines.joined(separator: "\n") }

  /// Prints the lines on stderr and exits with the code.
  func exit() -> Never {
    for line in lines { FileHandle.standardError.write(Data(("ablate: " + line + "\n").utf8)) }
    Foundation.exit(exitCode)
  }

  /// The CLI error for what a library threw; nil for ArgumentParser's own errors (and `ExitCode`).
  init?(_ error: any Error) {
    switch error {
    case let error as CLIError: self = error
    case let error as ExperimentError:
      switch error {
      case .badInput(let lines): self = .badInput(lines)
      case .environment(let line): self = .environment(line)
      case .cluster(let line): self = .failed(line)
      }
    case let error as StoreError: self = .environment(error.description)
    case let error as AtomicFile.WriteError: self = .environment(error.description)
    case let error as CocoaError:
      let path = (error.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
      self = .environment(path + error.localizedDescription)
    default: return nil
    }
  }
}
