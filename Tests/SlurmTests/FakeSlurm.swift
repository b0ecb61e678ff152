import Foundation
import Slurm

/// A cluster in memory: answers `scontrol show config`, numbers `sbatch` submissions, reports the live tasks
/// the test sets, and records every call.
final class FakeSlurm: SlurmCommands, @unchecked Sendable {
  private let lock = NSLock()
  private var nextID = 100
  var maxArraySize = 1001
  var calls: [[String]] = []
  var live: [LiveTask] = []
  var squeueFails = false

  func run(_ tool: String, _ arguments: [String]) throws -> String {
    try lock.withLock {
      calls.append([tool] + arguments)
      switch tool {
      case "scontrol" where arguments == ["show", "config"]:
        return
          "Configuration data as of 2026-12-01T09:00:00\nMaxArraySize            = \(maxArraySize)\nMaxJobCount = 10000\n"
      case "sbatch":
        nextID += 1
        return "\(nextID)\n"
      case "squeue":
        if squeueFails { throw SlurmError(command: "squeue", message: "Unable to contact slurm controller") }
        return live.map {
          "\($0.jobName)|\($0.arrayID)|\($0.taskIndex)|\($0.jobID)|\($0.state)|\($0.node ?? "")|\($0.partition)|\($0.reason)"
        }
        .joined(separator: "\n") + "\n"
      default:
        return ""
      }
    }
  }

  var sbatchCalls: [[String]] { lock.withLock { calls.filter { $0.first == "sbatch" } } }
}
