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

  /// Parses and runs; every failure is one `CLIError` format: ArgumentParser's usage errors are bad input
  /// (exit code 2, one line), and what the libraries throw is sorted into bad input or environment.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      if let failure = CLIError(error) { failure.exit() }
      if exitCode(for: error) == .validationFailure {
        let words = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2)
        let line = message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
          .joined(separator: " ")
        CLIError.badInput("\(line) (hint: ablate \((words + ["--help"]).joined(separator: " ")))").exit()
      }
      exit(withError: error)
    }
  }
}
