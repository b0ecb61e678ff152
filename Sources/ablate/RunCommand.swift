import ArgumentParser
import Foundation
import Orchestrator
import Provenance
import Spec
import Store
import TrainerProtocol

/// `ablate run SPEC`: expand, skip what is done, run the rest, record everything.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a spec's cells that are not done yet.")

  @Argument(help: "The experiment spec (YAML).") var spec: String
  @Option(name: .shortAndLong, help: "Cells run at the same time.") var jobs: Int = 1
  @Flag(help: "Print the cells and which would be skipped; run nothing, write nothing.") var dryRun = false
  @Option(parsing: .upToNextOption, help: "Run only these variants.") var only: [String] = []
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @Flag(help: "Run failed, diverged and timed-out cells again.") var retryFailed = false
  @Flag(help: "Refuse to run when the git working tree has uncommitted changes.") var requireClean = false
  @OptionGroup var store: StoreOption
  @OptionGroup var slurm: SlurmOptions
  @Flag(help: "With --executor slurm: wait until every submitted cell's result is collected.") var wait =
    false
  @Option(help: .hidden) var leaseSeconds: Double?

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    let spec = try loadSpec(self.spec, overrides: overrides)
    let launch = try resolveTrainer(spec)
    var cells = spec.cells(trainerIdentity: launch.identity)
    if !only.isEmpty {
      let known = Set(cells.map(\.variant))
      let unknown = only.filter { !known.contains($0) }
      if !unknown.isEmpty {
        let names = cells.map(\.variant).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        throw badInput(
          unknown.map {
            "\(spec.file): --only names no variant '\($0)' (variants: \(names.joined(separator: ", ")))"
          })
      }
      cells = cells.filter { only.contains($0.variant) }
    }
    try validateBuiltinConfigs(spec, cells)
    // A built-in trainer's executable is this binary, which is running; a command's must be found.
    if case .command = spec.trainer {
      do { _ = try launch.resolveExecutable() } catch {
        throw EnvironmentFailure("\(spec.trainerLocation.map(\.description) ?? spec.file): \(error)")
      }
    }
    let (executor, slurmSettings) = try slurm.resolve(spec)
    if dryRun { return try printPlan(spec, cells) }

    let layout = RunLayout(storePath: store.path)
    let specDirectory = URL(fileURLWithPath: spec.file).deletingLastPathComponent().path
    let provenance: Provenance
    do {
      provenance = try Provenance.collect(
        directory: specDirectory, ablateVersion: Ablate.configuration.version,
        commandLine: CommandLine.arguments, ignoring: [layout.root.path])
    } catch {
      throw badInput("\(specDirectory): cannot read git state: \(error)")
    }
    if requireClean, provenance.git.dirty {
      throw badInput(
        "\(specDirectory): the git working tree has uncommitted changes; commit them or drop --require-clean")
    }

    let store = try self.store.open()
    let provenanceID = try store.recordProvenance(
      json: provenance.json, hash: provenance.hash,
      diff: provenance.git.patch.flatMap { patch in provenance.git.diffSHA256.map { ($0, patch) } })
    let runner: Runner
    let lease =
      leaseSeconds ?? ProcessInfo.processInfo.environment["ABLATE_LEASE_SECONDS"].flatMap(Double.init) ?? 30
    try store.register(
      cells.map { cell in
        NewCell(
          id: cell.id, experiment: cell.experiment, variant: cell.variant, gridPointJSON: cell.gridPointJSON,
          seed: cell.seed, configJSON: cell.config.canonicalJSON, configHash: cell.configHash,
          trainer: launch.identity)
      })
    if executor == .slurm {
      return try runOnSlurm(
        spec, cells: cells, launch: launch, settings: slurmSettings, store: store, provenanceID: provenanceID,
        gitCommit: provenance.git.commit)
    }
    let plan = try PlannedCell.plan(cells, store: store, retryFailed: retryFailed)
    let toRun = plan.filter(\.willRun).map(\.cell)
    printOut(
      "\(spec.name): \(cells.count) cells, \(toRun.count) to run, \(cells.count - toRun.count) already finished"
    )
    let isTTY = isatty(1) == 1
    let progress = Progress(toRun: toRun.count, isTTY: isTTY) { text in
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    runner = Runner(
      store: store, cells: toRun, launch: launch,
      options: RunOptions(
        jobs: jobs, retryFailed: retryFailed, leaseSeconds: lease, layout: layout,
        timeoutSeconds: spec.timeoutSeconds, retries: spec.retries),
      provenanceID: provenanceID, progress: progress)
    try store.recordInvocation(
      commandLine: CommandLine.arguments.joined(separator: " "), host: ProcessInfo.processInfo.hostName,
      pid: getpid(), owner: runner.owner, provenanceID: provenanceID)
    StopSignal.install()
    let summary = runner.run()

    let final = try store.cells(ids: cells.map(\.id))
    var counts: [CellStatus: Int] = [:]
    for cell in cells { counts[final[cell.id]?.status ?? .pending, default: 0] += 1 }
    let parts = CellStatus.allCases.compactMap { status in counts[status].map { "\(status.rawValue) \($0)" } }
    printOut("\(spec.name): " + parts.joined(separator: ", "))
    if let cause = summary.environmentFailure {
      throw EnvironmentFailure(cause)
    }
    if summary.stopSignal != 0 {
      FileHandle.standardError.write(
        Data("ablate: stopped by signal \(summary.stopSignal); running cells marked interrupted\n".utf8))
      throw ExitCode(128 + summary.stopSignal)
    }
    if counts[.done, default: 0] != cells.count { throw ExitCode(ExitStatus.cellFailed) }
  }

  private func printPlan(_ spec: ExperimentSpec, _ cells: [Cell]) throws {
    let plan = try PlannedCell.plan(cells, store: store.openExisting(), retryFailed: retryFailed)
    var lines: [String] = []
    lines.reserveCapacity(plan.count + 1)
    for item in plan {
      let state = item.record?.status.rawValue ?? "new"
      lines.append("\(item.willRun ? "run " : "skip") \(item.cell.id.prefix(12)) \(state) \(item.label)")
    }
    let runs = plan.filter(\.willRun).count
    lines.append(
      "\(spec.name): \(plan.count) cells, \(runs) would run, \(plan.count - runs) would be skipped")
    printOut(lines.joined(separator: "\n"))
  }
}
