import ArgumentParser

/// The `ablate` command: experiment and ablation grids that turn into a paper's tables.
@main
struct Ablate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ablate",
    abstract: "Run experiment and ablation grids and turn them into a paper's tables.",
    version: "0.1.0",
    subcommands: [
      RunCommand.self, StatusCommand.self, RunsCommand.self, ShowCommand.self, ExportCommand.self,
      ExecBuiltinCommand.self, WorldCommand.self, Bench.self,
    ]
  )
}
