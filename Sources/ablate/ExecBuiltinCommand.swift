import ArgumentParser
import Foundation
import Orchestrator
import Spec
import TrainerProtocol
import Trainers

/// `ablate exec-builtin NAME`: runs a built-in trainer under the external-command protocol (hidden; the runner
/// starts it in a child process so built-ins get the same timeouts, kills and crash isolation as any command).
struct ExecBuiltinCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exec-builtin", abstract: "Run a built-in trainer (used by `ablate run`).",
    shouldDisplay: false)

  @Argument var name: String

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let needed = [TrainerEnvironment.config, TrainerEnvironment.outputDirectory, TrainerEnvironment.metrics]
    guard let configPath = environment[needed[0]], let outputDir = environment[needed[1]],
      let metricsPath = environment[needed[2]]
    else {
      throw CLIError.badInput("exec-builtin needs \(needed.joined(separator: ", ")) in the environment")
    }
    guard let trainer = BuiltinRegistry.standard[name] else {
      throw CLIError.badInput(
        "unknown built-in trainer '\(name)' (known: \(BuiltinRegistry.standard.names.joined(separator: ", ")))"
      )
    }
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: configPath))
      let config = try JSONDecoder().decode(ConfigValue.self, from: data)
      let sink = try MetricsFileWriter(path: metricsPath)
      try trainer.train(config: config, output: URL(fileURLWithPath: outputDir), metrics: sink)
    } catch {
      throw CLIError.failed("\(name): \(error)")
    }
  }
}
