import ArgumentParser
import Foundation
import Orchestrator
import Primitives
import Store

/// The exit codes every command shares (README, "Exit codes"). A script can tell "fix your spec" (2) from
/// "fix the machine" (3) from "a cell failed" (1) without reading the message.
enum ExitStatus {
  /// `ablate run`: some cell failed, diverged or timed out.
  static let cellFailed: Int32 = 1
  /// Bad input: a spec, an option, a `--set`, an unknown cell or variant; nothing was written.
  static let badInput: Int32 = 2
  /// The environment failed: the disk is full, a permission is missing, the store is damaged or not an
  /// ablate store, the trainer's executable is not there. The cells that could not run stay pending.
  static let environment: Int32 = 3
}

/// A failure of what `ablate` runs on rather than of its input: printed as one line, exit code 3.
struct EnvironmentFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Prints each problem as one line on stderr and exits with code 2 (bad input), writing nothing.
func badInput(_ lines: [String]) -> ExitCode {
  for line in lines { FileHandle.standardError.write(Data(("ablate: " + line + "\n").utf8)) }
  return ExitCode(ExitStatus.badInput)
}

func badInput(_ line: String) -> ExitCode { badInput([line]) }

extension Ablate {
  /// The exit code for an error no command turned into one itself: resource failures are environment
  /// failures (3) with their one line; nil for errors ArgumentParser reports.
  static func environmentExit(for error: any Error) -> Int32? {
    let line: String
    switch error {
    case let error as EnvironmentFailure: line = error.description
    case let error as StoreError: line = error.description
    case let error as AtomicFile.WriteError: line = error.description
    case let error as CocoaError:
      let path = (error.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
      line = path + error.localizedDescription
    default: return nil
    }
    FileHandle.standardError.write(Data(("ablate: " + line + "\n").utf8))
    return ExitStatus.environment
  }
}
