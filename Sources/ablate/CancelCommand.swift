import ArgumentParser
import Foundation
import Slurm

/// `ablate cancel SPEC`: scancels the spec's Slurm jobs and marks its queued cells interrupted.
struct CancelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cancel", abstract: "Cancel a spec's Slurm jobs; its queued cells become interrupted.")

  @Argument(help: "The experiment spec (YAML).") var spec: String
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @OptionGroup var store: StoreOption

  func run() throws {
    let spec = try loadSpec(self.spec, overrides: overrides)
    let launch = try resolveTrainer(spec)
    let cells = spec.cells(trainerIdentity: launch.identity)
    guard FileManager.default.fileExists(atPath: store.path) else {
      return printOut("\(spec.name): nothing was submitted")
    }
    let opened = try store.open()
    let executor = SlurmExecutor(store: opened, cluster: SlurmCluster(), storeDirectory: store.directory)
    let cancelled: SlurmExecutor.Cancelled
    do { cancelled = try executor.cancel(cellIDs: cells.map(\.id)) } catch let error as SlurmError {
      FileHandle.standardError.write(Data("ablate: \(error)\n".utf8))
      throw ExitCode(1)
    }
    if cancelled.arrays.isEmpty && cancelled.interrupted == 0 {
      return printOut("\(spec.name): no queued cells")
    }
    printOut(
      "\(spec.name): cancelled Slurm array(s) \(cancelled.arrays.joined(separator: ", ")); "
        + "\(cancelled.interrupted) cells interrupted, \(cancelled.finished) finished before the cancel")
  }
}
