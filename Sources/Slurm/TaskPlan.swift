import Foundation
import Primitives

/// What every task of one submission needs to run its cell without the store: the trainer's launch, the limits,
/// what the submitter ran (to check the node against), and each task index's (cell, attempt, directory).
///
/// Written by the submitter as `submission.json` and `tasks.tsv` in the submission's directory, read by
/// `ablate slurm-task` on the compute node.
public struct TaskPlan: Sendable, Codable, Hashable {
  public var argv: [String]
  public var workingDirectory: String
  /// `run.timeout`: counted from the trainer's start on the node, never from submission (queue wait is free).
  public var timeoutSeconds: Double?
  /// `run.retries`: extra tries inside the task for a failing trainer.
  public var retries: Int
  public var requeue: Bool
  public var maxRequeues: Int
  public var timeMinutes: Int?
  /// The submitting side's git commit of the spec's directory and the sha256 of the `ablate` binary.
  public var gitCommit: String?
  public var binarySHA256: String
  /// The store's directory: not counted when the node reads the git state.
  public var storeDirectory: String
  /// The store's caches shared by every cell (`TrainerEnvironment.caches`), as the submitter sees them.
  public var environment: [String: String]

  public init(
    argv: [String], workingDirectory: String, timeoutSeconds: Double?, retries: Int, requeue: Bool,
    maxRequeues: Int, timeMinutes: Int?, gitCommit: String?, binarySHA256: String, storeDirectory: String,
    environment: [String: String]
  ) {
    self.argv = argv
    self.workingDirectory = workingDirectory
    self.timeoutSeconds = timeoutSeconds
    self.retries = retries
    self.requeue = requeue
    self.maxRequeues = maxRequeues
    self.timeMinutes = timeMinutes
    self.gitCommit = gitCommit
    self.binarySHA256 = binarySHA256
    self.storeDirectory = storeDirectory
    self.environment = environment
  }

  public static let fileName = "submission.json"

  public func write(to directory: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write(try encoder.encode(self), to: directory + "/" + Self.fileName)
  }

  public static func read(from directory: String) throws -> TaskPlan {
    let path = directory + "/" + fileName
    do {
      return try JSONDecoder().decode(TaskPlan.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw SlurmError(command: "slurm-task", message: "cannot read \(path): \(error)")
    }
  }
}

/// One array element's cell: `tasks.tsv` holds one line per task,
/// "index<TAB>cell<TAB>attempt<TAB>seed<TAB>directory".
public struct TaskEntry: Sendable, Hashable {
  public var index: Int
  public var cellID: String
  public var attempt: Int
  /// For the trainer's `{seed}` placeholder.
  public var seed: Int
  public var directory: String

  public init(index: Int, cellID: String, attempt: Int, seed: Int, directory: String) {
    self.index = index
    self.cellID = cellID
    self.attempt = attempt
    self.seed = seed
    self.directory = directory
  }

  public static let fileName = "tasks.tsv"

  public static func write(_ entries: [TaskEntry], to directory: String) throws {
    var text = ""
    for e in entries { text += "\(e.index)\t\(e.cellID)\t\(e.attempt)\t\(e.seed)\t\(e.directory)\n" }
    try AtomicFile.write(Data(text.utf8), to: directory + "/" + fileName)
  }

  /// The entry of task `index`, read from the submission's `tasks.tsv`.
  public static func read(index: Int, from directory: String) throws -> TaskEntry {
    let path = directory + "/" + fileName
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw SlurmError(command: "slurm-task", message: "cannot read \(path)")
    }
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "\t", maxSplits: 4).map(String.init)
      if f.count == 5, Int(f[0]) == index, let attempt = Int(f[2]), let seed = Int(f[3]) {
        return TaskEntry(index: index, cellID: f[1], attempt: attempt, seed: seed, directory: f[4])
      }
    }
    throw SlurmError(command: "slurm-task", message: "\(path) has no task \(index)")
  }
}
