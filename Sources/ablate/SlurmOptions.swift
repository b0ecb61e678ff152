import ArgumentParser
import Foundation
import Slurm
import Spec

/// `ablate run`'s executor flags: each replaces the spec's `run.executor` / `run.slurm` value.
struct SlurmOptions: ParsableArguments {
  @Option(help: "Where cells run: local (default) or slurm (submit a job array and exit).")
  var executor: Executor?
  @Option(help: "Slurm partition.") var partition: String?
  @Option(help: "Slurm time limit per task: minutes, H:MM:SS, D-HH:MM:SS, or 30m / 2h.") var time: String?
  @Option(help: "CPUs per Slurm task.") var cpus: Int?
  @Option(help: "Memory per Slurm task (--mem): 4G, 512M.") var mem: String?
  @Option(help: "Generic resources per Slurm task (--gres), e.g. gpu:1.") var gres: String?
  @Option(help: "Slurm account.") var account: String?
  @Option(help: "Slurm QOS.") var qos: String?
  @Option(help: "An extra #SBATCH option, verbatim (repeatable).") var sbatch: [String] = []
  @Option(help: "How many array tasks run at once (%N).") var throttle: Int?
  @Flag(inversion: .prefixedNo, help: "Tasks requeue themselves on Slurm's time-limit warning.") var requeue:
    Bool?

  /// The spec's executor and options with these flags applied; a bad flag value is exit code 2.
  func resolve(_ spec: ExperimentSpec) throws -> (Executor, SlurmSettings) {
    let executor = self.executor ?? spec.executor
    var s = spec.slurm
    if let partition { s.partition = partition }
    if let time {
      guard let minutes = SlurmSettings.minutes(time) else {
        throw CLIError.badInput(
          "--time '\(time)' is not a time limit (hint: 90, 1:30:00, 2-00:00:00, 30m, 2h)")
      }
      s.timeMinutes = minutes
    }
    if let cpus {
      guard cpus >= 1 else { throw CLIError.badInput("--cpus must be at least 1") }
      s.cpus = cpus
    }
    if let mem { s.memory = mem }
    if let gres { s.gres = gres }
    if let account { s.account = account }
    if let qos { s.qos = qos }
    s.sbatch += sbatch
    if let throttle {
      guard throttle >= 1 else { throw CLIError.badInput("--throttle must be at least 1") }
      s.throttle = throttle
    }
    if let requeue { s.requeue = requeue }
    if executor == .slurm, let stage = spec.stages.first {
      throw CLIError.badInput(
        "\(spec.file): stage '\(stage.name)': the Slurm executor does not run stages yet "
          + "(hint: run the spec once with --executor local, or drop the stages)")
    }
    return (executor, s)
  }
}

extension Executor: ExpressibleByArgument {}
