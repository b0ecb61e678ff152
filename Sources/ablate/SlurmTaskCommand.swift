import ArgumentParser
import Foundation
import Slurm

/// `ablate slurm-task DIR`: one array element on a compute node (hidden; the batch script's only command).
struct SlurmTaskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slurm-task", abstract: "Run one Slurm array task's cell (used by the batch script).",
    shouldDisplay: false)

  @Argument(help: "The submission's directory (submission.json, tasks.tsv).") var directory: String

  func run() throws {
    let task: SlurmTask
    do {
      task = try SlurmTask(
        submissionDirectory: directory, environment: ProcessInfo.processInfo.environment,
        cluster: SlurmCluster())
    } catch {
      throw CLIError.badInput("\(error)")
    }
    let code = task.run(executable: executablePath)
    if code != 0 { throw ExitCode(code) }
  }
}
