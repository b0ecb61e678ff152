import Foundation
import Orchestrator
import Provenance
import Spec
import Store

extension Experiment {
  /// What `ablate run` asks for beyond the spec.
  public struct RunRequest: Sendable {
    public var jobs: Int
    public var retryFailed: Bool
    public var requireClean: Bool
    public var leaseSeconds: Double
    /// The version and command line recorded in the provenance.
    public var ablateVersion: String
    public var commandLine: [String]

    public init(
      jobs: Int, retryFailed: Bool, requireClean: Bool, leaseSeconds: Double, ablateVersion: String,
      commandLine: [String]
    ) {
      self.jobs = jobs
      self.retryFailed = retryFailed
      self.requireClean = requireClean
      self.leaseSeconds = leaseSeconds
      self.ablateVersion = ablateVersion
      self.commandLine = commandLine
    }
  }

  /// A run ready to start: the store opened, the provenance recorded, every cell registered.
  public struct PreparedRun {
    public var store: Store
    public var provenanceID: Int64?
    public var gitCommit: String?
    public var request: RunRequest
  }

  /// The end of a local run: each cell's state, and why the run stopped early if it did.
  public struct RunOutcome: Sendable {
    public var counts: [CellStatus: Int]
    public var total: Int
    /// The signal that stopped the runner (0: none); running cells were marked interrupted.
    public var stopSignal: Int32
    /// What the machine did wrong (a full disk), which stopped the run; its cells stay pending.
    public var environmentFailure: String?
    public var allDone: Bool { counts[.done, default: 0] == total }
  }

  /// A command trainer's executable must be there (a built-in trainer's is this binary, which is running).
  public func checkExecutable() throws(ExperimentError) {
    guard case .command = spec.trainer else { return }
    do { _ = try launch.resolveExecutable() } catch {
      throw .environment("\(spec.trainerLocation.map(\.description) ?? spec.file): \(error)")
    }
  }

  /// Records the provenance and registers the cells: the first write, after every check of the input.
  public func prepareRun(_ request: RunRequest) throws -> PreparedRun {
    let specDirectory = URL(fileURLWithPath: spec.file).deletingLastPathComponent().path
    let provenance: Provenance
    do {
      provenance = try Provenance.collect(
        directory: specDirectory, ablateVersion: request.ablateVersion, commandLine: request.commandLine,
        ignoring: [layout.root.path])
    } catch {
      throw ExperimentError.badInput(["\(specDirectory): cannot read git state: \(error)"])
    }
    if request.requireClean, provenance.git.dirty {
      throw ExperimentError.badInput([
        "\(specDirectory): the git working tree has uncommitted changes; commit them or drop --require-clean"
      ])
    }
    let store = try openStore()
    let provenanceID = try store.recordProvenance(
      json: provenance.json, hash: provenance.hash,
      diff: provenance.git.patch.flatMap { patch in provenance.git.diffSHA256.map { ($0, patch) } })
    try store.register(
      cells.map { cell in
        NewCell(
          id: cell.id, experiment: cell.experiment, variant: cell.variant, gridPointJSON: cell.gridPointJSON,
          seed: cell.seed, configJSON: cell.config.canonicalJSON, configHash: cell.configHash,
          trainer: launch.identity)
      })
    return PreparedRun(
      store: store, provenanceID: provenanceID, gitCommit: provenance.git.commit, request: request)
  }

  /// Runs `cells` (the plan's to-run ones) on this machine under leases, reporting to `progress`; returns
  /// when each is settled, or a signal or the machine stopped the run.
  public func runLocally(_ run: PreparedRun, cells toRun: [Cell], progress: Orchestrator.Progress) throws -> RunOutcome {
    let runner = Runner(
      store: run.store, cells: toRun, launch: launch,
      options: RunOptions(
        jobs: run.request.jobs, retryFailed: run.request.retryFailed, leaseSeconds: run.request.leaseSeconds,
        layout: layout, timeoutSeconds: spec.timeoutSeconds, retries: spec.retries),
      provenanceID: run.provenanceID, progress: progress)
    try run.store.recordInvocation(
      commandLine: run.request.commandLine.joined(separator: " "), host: ProcessInfo.processInfo.hostName,
      pid: getpid(), owner: runner.owner, provenanceID: run.provenanceID)
    StopSignal.install()
    let summary = runner.run()
    return RunOutcome(
      counts: try counts(in: run.store), total: cells.count, stopSignal: summary.stopSignal,
      environmentFailure: summary.environmentFailure)
  }
}
