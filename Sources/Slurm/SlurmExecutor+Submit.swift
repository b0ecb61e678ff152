import Foundation
import Hashing
import Orchestrator
import Primitives
import Spec
import Store
import TrainerProtocol

extension SlurmExecutor {
  /// What to submit: the spec's cells in order (a cell's position is its task index), which of them to send,
  /// how to start the trainer and the array's options.
  public struct Request: Sendable {
    public var spec: ExperimentSpec
    public var cells: [Cell]
    public var submit: Set<String>
    public var launch: TrainerLaunch
    public var settings: SlurmSettings
    /// This `ablate` binary: the tasks run it (built-ins through `exec-builtin` of the same binary).
    public var executable: String
    public var provenanceID: Int64?
    public var gitCommit: String?
    public var retryFailed: Bool

    public init(
      spec: ExperimentSpec, cells: [Cell], submit: Set<String>, launch: TrainerLaunch,
      settings: SlurmSettings,
      executable: String, provenanceID: Int64?, gitCommit: String?, retryFailed: Bool
    ) {
      self.spec = spec
      self.cells = cells
      self.submit = submit
      self.launch = launch
      self.settings = settings
      self.executable = executable
      self.provenanceID = provenanceID
      self.gitCommit = gitCommit
      self.retryFailed = retryFailed
    }
  }

  /// One job array sent to Slurm.
  public struct Submitted: Sendable, Hashable {
    public var arrayID: String
    public var jobName: String
    public var range: ArrayRange
    public var directory: String
  }

  /// Queues the requested cells and submits them, one array per `MaxArraySize` positions, then returns.
  ///
  /// The cells become `queued` (with their task indices) before `sbatch` runs: a submitter killed in between
  /// leaves queued cells whose task is nowhere, which the next `collect` marks interrupted and the next submit
  /// sends again; a submitter killed after `sbatch` leaves a live array, found again by its job name.
  @discardableResult
  public func submit(_ request: Request) throws -> [Submitted] {
    let positions = request.cells.indices.filter { request.submit.contains(request.cells[$0].id) }
    guard !positions.isEmpty else { return [] }
    let maxArraySize = try cluster.maxArraySize()
    let binary = try SHA256.hex(fileAt: URL(fileURLWithPath: request.executable))
    let specHash = Self.specHash(request.spec)
    let workingDirectory = request.launch.workingDirectory
    var submitted: [Submitted] = []
    let layout = RunLayout(root: URL(fileURLWithPath: storeDirectory, isDirectory: true))
    for (chunk, indices) in ArrayRange.chunks(positions: positions, maxArraySize: maxArraySize).sorted(by: {
      $0.key < $1.key
    }) {
      let id = Self.newSubmissionID()
      let directory = storeDirectory + "/slurm/" + id
      let jobName = "ablate-\(id)"
      try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
      let queued = indices.map { index -> QueuedCell in
        let cell = request.cells[chunk * maxArraySize + index]
        return QueuedCell(id: cell.id, taskIndex: index) { layout.attempt(cell: cell.id, $0).path }
      }
      let submission = SlurmSubmission(
        id: id, experiment: request.spec.name, specHash: specHash, jobName: jobName, directory: directory,
        arraySpec: "", provenanceID: request.provenanceID)
      let attempts = try store.queue(queued, submission: submission, retryFailed: request.retryFailed)
      var entries: [TaskEntry] = []
      for q in queued {
        guard let attempt = attempts[q.id] else { continue }
        let cell = request.cells[chunk * maxArraySize + q.taskIndex]
        let attemptDirectory = q.outputDir(attempt)
        try? FileManager.default.removeItem(atPath: attemptDirectory)
        try FileManager.default.createDirectory(atPath: attemptDirectory, withIntermediateDirectories: true)
        // The trainer protocol's two config files, written here: the node only reads them.
        for (name, text) in [
          ("config.json", cell.config.canonicalJSON + "\n"), ("config.yaml", cell.config.yaml),
        ] {
          guard
            FileManager.default.createFile(atPath: attemptDirectory + "/" + name, contents: Data(text.utf8))
          else { throw SlurmError(command: "submit", message: "cannot write \(attemptDirectory)/\(name)") }
        }
        entries.append(
          TaskEntry(
            index: q.taskIndex, cellID: q.id, attempt: attempt, seed: cell.seed, directory: attemptDirectory))
      }
      guard !entries.isEmpty else { continue }
      let plan = TaskPlan(
        argv: request.launch.argv, workingDirectory: workingDirectory,
        timeoutSeconds: request.spec.timeoutSeconds,
        retries: request.spec.retries, requeue: request.settings.requeue,
        maxRequeues: request.settings.maxRequeues, timeMinutes: request.settings.timeMinutes,
        gitCommit: request.gitCommit, binarySHA256: binary, storeDirectory: storeDirectory,
        environment: TrainerEnvironment.caches(layout))
      let range = ArrayRange(indices: entries.map(\.index), throttle: request.settings.throttle)
      let script = BatchScript(
        jobName: jobName, array: range, submissionDirectory: directory, workingDirectory: workingDirectory,
        executable: request.executable, settings: request.settings)
      do {
        try TaskEntry.write(entries, to: directory)
        try plan.write(to: directory)
        try AtomicFile.write(Data(script.text.utf8), to: directory + "/job.sh")
        let arrayID = try cluster.submit(script: directory + "/job.sh")
        try store.setArrayID(arrayID, arraySpec: range.description, submission: id)
        submitted.append(Submitted(arrayID: arrayID, jobName: jobName, range: range, directory: directory))
      } catch {
        try? store.withdraw(submission: id, error: "not submitted: \(error)")
        throw error
      }
    }
    return submitted
  }

  /// The spec as submitted: its files' bytes and the command-line overrides.
  static func specHash(_ spec: ExperimentSpec) -> String {
    var text = ""
    for file in spec.sourceFiles {
      text += file + "\n" + ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "") + "\n"
    }
    for a in spec.overrides { text += "--set \(a.path)=\(a.value.canonicalJSON)\n" }
    return SHA256.hex(text)
  }

  static func newSubmissionID() -> String {
    String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
  }
}
