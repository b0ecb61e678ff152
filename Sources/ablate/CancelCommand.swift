import ArgumentParser
import Experiments

/// `ablate cancel SPEC`: scancels the spec's Slurm jobs and marks its queued cells interrupted.
struct CancelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cancel", abstract: "Cancel a spec's Slurm jobs; its queued cells become interrupted.")

  @OptionGroup var experiment: ExperimentOptions

  func run() throws {
    let experiment = try self.experiment.open()
    let name = experiment.spec.name
    guard let cancelled = try experiment.cancelOnSlurm() else {
      return printOut("\(name): nothing was submitted")
    }
    if cancelled.arrays.isEmpty && cancelled.interrupted == 0 { return printOut("\(name): no queued cells") }
    printOut(
      "\(name): cancelled Slurm array(s) \(cancelled.arrays.joined(separator: ", ")); "
        + "\(cancelled.interrupted) cells interrupted, \(cancelled.finished) finished before the cancel")
  }
}
