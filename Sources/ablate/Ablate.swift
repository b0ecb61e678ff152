import ArgumentParser
import Foundation

/// The `ablate` command: experiment and ablation grids that turn into a paper's tables.
@main
struct Ablate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ablate",
    abstract: "Run experiment and ablation grids and turn them into a paper's tables.",
    version: "0.1.0",
    subcommands: [
      RunCommand.self, StatusCommand.self, RunsCommand.self, ShowCommand.self, ExportCommand.self,
      ExecBuiltinCommand.self, CancelCommand.self, SlurmTaskCommand.self, WorldCommand.self, Bench.self,
      ReportCommand.self, CompareCommand.self, ServeCommand.self,
    ]
  )

  /// Parses and runs, mapping ArgumentParser's usage errors (64) to exit code 2 like every other bad input,
  /// and resource failures to exit code 3 (`ExitStatus`).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.badInput)
      }
      if let code = environmentExit(for: error) { Foundation.exit(code) }
      exit(withError: error)
    }
  }
}
