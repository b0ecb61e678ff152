import Foundation
import Spec
import Store
import TrainerProtocol

extension Runner {
  /// Why a cell's stages are not ready.
  enum StageProblem: Error {
    /// A stage's command failed: the cell fails with this text.
    case failed(String)
    case timedOut
    /// A stop signal or a lost lease: the attempt is left for `interrupt`.
    case stopped
  }

  /// The output directories of the stages the cell needs, by stage name; each stage no run on this store has
  /// produced yet is produced first, once (a second cell needing it waits on its lock, then reuses it).
  func prepareStages(_ cell: Cell, attempt: Int, started: Date) throws(StageProblem) -> [String: String] {
    guard !launch.stages.isEmpty else { return [:] }
    let cache: StageCache
    do { cache = try StageCache(root: URL(fileURLWithPath: stagesRoot)) } catch {
      throw .failed("cannot open the stage cache \(stagesRoot): \(error)")
    }
    let ids = launch.stageIDs(for: cell)
    var directories: [String: String] = [:]
    for stage in launch.stages {
      let name = stage.stage.name
      let config = stage.config(for: cell)
      guard let id = ids[name] else { continue }
      let inputs = Dictionary(
        uniqueKeysWithValues: stage.stage.needs.compactMap { n in directories[n].map { (n, $0) } })
      do {
        let result = try cache.stage(id) { temp in
          try runStage(
            stage, config: config, inputs: inputs, in: temp.path, id: id, cell: cell, attempt: attempt,
            started: started)
        }
        if !result.reused { progress.note("stage \(name) \(id.prefix(12)) produced for \(cell.label)") }
        directories[name] = result.directory.path
      } catch let problem as StageProblem {
        throw problem
      } catch {
        throw .failed("stage '\(name)': \(error)")
      }
    }
    return Dictionary(uniqueKeysWithValues: launch.needs.compactMap { n in directories[n].map { (n, $0) } })
  }

  /// Where this store's stages live, content-addressed by identity.
  var stagesRoot: String {
    options.layout.stages.path
  }

  /// Runs one stage's command into `directory` (a temp dir the cache publishes on success).
  private func runStage(
    _ stage: StageLaunch, config: ConfigValue, inputs: [String: String], in directory: String, id: String,
    cell: Cell, attempt: Int, started: Date
  ) throws {
    let checkpoint = stagesRoot + "/\(id).checkpoint"
    let configPath = directory + "/config.json"
    let configYAMLPath = directory + "/config.yaml"
    let metricsPath = directory + "/metrics.jsonl"
    try FileManager.default.createDirectory(atPath: checkpoint, withIntermediateDirectories: true)
    try Self.writeFile(configPath, config.canonicalJSON + "\n")
    try Self.writeFile(configYAMLPath, config.yaml)
    try Self.writeFile(metricsPath, "")
    var environment = ProcessInfo.processInfo.environment
    environment[TrainerEnvironment.config] = configPath
    environment[TrainerEnvironment.configYAML] = configYAMLPath
    environment[TrainerEnvironment.outputDirectory] = directory
    environment[TrainerEnvironment.metrics] = metricsPath
    environment[TrainerEnvironment.checkpointDirectory] = checkpoint
    environment[TrainerEnvironment.inputs] = Self.inputsJSON(inputs)
    environment[TrainerEnvironment.stage] = stage.stage.name
    environment[TrainerEnvironment.cellID] = cell.id
    environment[TrainerEnvironment.attempt] = String(attempt)
    let placeholders: [TrainerPlaceholder: String] = [
      .config: configPath, .configYAML: configYAMLPath, .outputDir: directory, .checkpointDir: checkpoint,
      .seed: config[path: "seed"].map { "\($0.doubleValue.map { Int($0) } ?? 0)" } ?? "0", .cellID: cell.id,
      .attempt: String(attempt),
    ]
    let stderrPath = directory + "/stderr.log"
    let child = try ChildProcess(
      argv: stage.stage.command.map { TrainerPlaceholder.fill($0, placeholders) }, environment: environment,
      directory: launch.workingDirectory, stdout: directory + "/stdout.log", stderr: stderrPath)
    var lastRenewal = Date()
    while !child.wait(seconds: 0.1) {
      if let interruption = interruption(cell, attempt: attempt, started: started, lastRenewal: &lastRenewal)
      {
        child.terminate()
        throw interruption == .timedOut ? StageProblem.timedOut : StageProblem.stopped
      }
    }
    guard child.exitCode == 0 else {
      let how =
        child.terminatingSignal.map { "killed by signal \($0)" } ?? "exit code \(child.exitCode ?? -1)"
      let tail = Self.tail(of: stderrPath)
      throw StageProblem.failed(
        "stage '\(stage.stage.name)' failed: \(how)" + (tail.isEmpty ? "" : "\n" + tail))
    }
  }

  /// `{"pretrain": "/path/to/stage"}`, the form of `ABLATE_INPUTS`.
  static func inputsJSON(_ inputs: [String: String]) -> String {
    ConfigValue.object(inputs.mapValues { .string($0) }).canonicalJSON
  }

  /// What ends a supervised child early.
  enum Interruption: Equatable { case stopped, timedOut, leaseLost }

  /// Checked about ten times a second while a cell's child (its trainer or a stage) runs: a stop signal, the
  /// cell's time limit, and the lease, renewed every third of its length.
  func interruption(_ cell: Cell, attempt: Int, started: Date, lastRenewal: inout Date) -> Interruption? {
    if StopSignal.received != 0 { return .stopped }
    if let limit = options.timeoutSeconds, Date().timeIntervalSince(started) > limit { return .timedOut }
    if Date().timeIntervalSince(lastRenewal) > options.leaseSeconds / 3 {
      let held =
        (try? store.renewLease(
          cellID: cell.id, owner: owner, attempt: attempt, leaseSeconds: options.leaseSeconds)) ?? true
      if !held { return .leaseLost }
      lastRenewal = Date()
    }
    return nil
  }
}
