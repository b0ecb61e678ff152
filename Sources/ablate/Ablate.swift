import ArgumentParser

/// The `ablate` command: experiment and ablation grids that turn into a paper's tables.
@main
struct Ablate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ablate",
    abstract: "Run experiment and ablation grids and turn them into a paper's tables.",
    version: "0.1.0",
    subcommands: [Bench.self, WorldCommand.self]
  )
}
