import ArgumentParser
import Experiments
import Foundation
import Orchestrator
import Store

/// `ablate run SPEC`: expand, skip what is done, run the rest, record everything.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a spec's cells that are not done yet.")

  @OptionGroup var experiment: ExperimentOptions
  @Option(name: .shortAndLong, help: "Cells run at the same time.") var jobs: Int = 1
  @Flag(help: "Print the cells and which would be skipped; run nothing, write nothing.") var dryRun = false
  @Option(parsing: .upToNextOption, help: "Run only these variants.") var only: [String] = []
  @Flag(help: "Run failed, diverged and timed-out cells again.") var retryFailed = false
  @Flag(help: "Refuse to run when the git working tree has uncommitted changes.") var requireClean = false
  @OptionGroup var slurm: SlurmOptions
  @Flag(help: "With --executor slurm: wait until every submitted cell's result is collected.") var wait =
    false
  @Option(help: .hidden) var leaseSeconds: Double?

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    var experiment = try self.experiment.open()
    try experiment.restrict(to: only)
    try experiment.validateConfigs()
    try experiment.checkExecutable()
    let (executor, slurmSettings) = try slurm.resolve(experiment.spec)
    if dryRun { return try printPlan(experiment) }

    let lease =
      leaseSeconds ?? ProcessInfo.processInfo.environment["ABLATE_LEASE_SECONDS"].flatMap(Double.init) ?? 30
    let prepared = try experiment.prepareRun(
      Experiment.RunRequest(
        jobs: jobs, retryFailed: retryFailed, requireClean: requireClean, leaseSeconds: lease,
        ablateVersion: Ablate.configuration.version, commandLine: CommandLine.arguments))
    let name = experiment.spec.name
    if executor == .slurm {
      let round = try experiment.submitToSlurm(prepared, settings: slurmSettings)
      var line = "\(name): \(experiment.cells.count) cells, \(round.collected) results collected"
      if round.lost > 0 { line += ", \(round.lost) lost (no result, no live task)" }
      line += ", \(round.submittedCells) submitted"
      for s in round.arrays {
        line += "; Slurm array \(s.arrayID) (--array=\(s.range), job name \(s.jobName))"
      }
      printOut(line)
      if round.anyQueued {
        let spec = self.experiment.spec
        printOut(
          "follow with: ablate status \(spec) (or squeue --name=\(round.arrays.map(\.jobName).joined(separator: ",")));"
            + " collect with: ablate run \(spec) --executor slurm")
      }
      if wait { try experiment.waitForSlurm(prepared) }
      let counts = try experiment.counts(in: prepared.store)
      printOut("\(name): " + Experiment.countsLine(counts))
      let settled = counts[.done, default: 0] + (wait ? 0 : counts[.queued, default: 0])
      if settled != experiment.cells.count { throw CLIError.failed(nil) }
      return
    }

    let toRun = try experiment.plan(store: prepared.store, retryFailed: retryFailed).filter(\.willRun).map(
      \.cell)
    let total = experiment.cells.count
    printOut("\(name): \(total) cells, \(toRun.count) to run, \(total - toRun.count) already finished")
    let progress = Progress(toRun: toRun.count, isTTY: isatty(1) == 1) { text in
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    let outcome = try experiment.runLocally(prepared, cells: toRun, progress: progress)
    printOut("\(name): " + Experiment.countsLine(outcome.counts))
    if let cause = outcome.environmentFailure { throw CLIError.environment(cause) }
    if outcome.stopSignal != 0 { throw CLIError.stopped(outcome.stopSignal) }
    if !outcome.allDone { throw CLIError.failed(nil) }
  }

  private func printPlan(_ experiment: Experiment) throws {
    let plan = try experiment.plan(store: experiment.existingStore(), retryFailed: retryFailed)
    var lines: [String] = []
    lines.reserveCapacity(plan.count + 1)
    for item in plan {
      let state = item.record?.status.rawValue ?? "new"
      lines.append("\(item.willRun ? "run " : "skip") \(item.cell.id.prefix(12)) \(state) \(item.label)")
    }
    let runs = plan.filter(\.willRun).count
    lines.append(
      "\(experiment.spec.name): \(plan.count) cells, \(runs) would run, \(plan.count - runs) would be skipped"
    )
    printOut(lines.joined(separator: "\n"))
  }
}
