import Foundation

/// A cell about to be queued on Slurm: its task index in the array and where each attempt writes.
public struct QueuedCell: Sendable {
  public var id: String
  public var taskIndex: Int
  public var outputDir: @Sendable (Int) -> String

  public init(id: String, taskIndex: Int, outputDir: @escaping @Sendable (Int) -> String) {
    self.id = id
    self.taskIndex = taskIndex
    self.outputDir = outputDir
  }
}

/// One `sbatch` of a spec's cells: a job array named `jobName`, its files under `directory`.
public struct SlurmSubmission: Sendable, Hashable {
  public var id: String
  public var experiment: String
  public var specHash: String
  public var jobName: String
  public var directory: String
  /// What `--array=` was given, throttle included: "0-19%4", "3,7,12".
  public var arraySpec: String
  public var provenanceID: Int64?

  public init(
    id: String, experiment: String, specHash: String, jobName: String, directory: String, arraySpec: String,
    provenanceID: Int64?
  ) {
    self.id = id
    self.experiment = experiment
    self.specHash = specHash
    self.jobName = jobName
    self.directory = directory
    self.arraySpec = arraySpec
    self.provenanceID = provenanceID
  }
}

/// The Slurm task behind a cell's current attempt, and what its result reported.
public struct SlurmTaskRecord: Sendable, Hashable {
  public var cellID: String
  public var status: CellStatus
  public var attempt: Int
  public var outputDir: String?
  public var taskIndex: Int
  public var jobID: String?
  public var restartCount: Int?
  public var node: String?
  public var partition: String?
  public var gitCommit: String?
  public var binarySHA256: String?
  public var mismatch: String?
  public var submission: String
  public var arrayID: String?
  public var jobName: String
  public var directory: String
  public var cancelled: Bool
  public var submittedAt: Double

  /// "123_7", Slurm's own name for the task; "?_7" while the array id is unknown.
  public var slurmID: String { "\(arrayID ?? "?")_\(taskIndex)" }
}

/// Where and how a Slurm task ran an attempt: its provenance, recorded at ingest.
public struct SlurmAttemptProvenance: Sendable, Hashable, Codable {
  public var jobID: String?
  public var arrayID: String?
  public var taskIndex: Int?
  public var restartCount: Int
  public var node: String?
  public var partition: String?
  /// The git commit the node saw in the spec's directory, and the sha256 of the binary it ran.
  public var gitCommit: String?
  public var binarySHA256: String?
  /// What differs from the submission (revision or binary); nil when both match.
  public var mismatch: String?

  public init(
    jobID: String?, arrayID: String?, taskIndex: Int?, restartCount: Int, node: String?, partition: String?,
    gitCommit: String?, binarySHA256: String?, mismatch: String?
  ) {
    self.jobID = jobID
    self.arrayID = arrayID
    self.taskIndex = taskIndex
    self.restartCount = restartCount
    self.node = node
    self.partition = partition
    self.gitCommit = gitCommit
    self.binarySHA256 = binarySHA256
    self.mismatch = mismatch
  }
}

/// A task's result file, read back on the submitting side: ingested once, keyed by (cell, attempt).
public struct SlurmTaskResult: Sendable {
  public var cellID: String
  public var attemptNumber: Int
  public var startedAt: Double
  public var attempt: AttemptResult
  public var slurm: SlurmAttemptProvenance

  public init(
    cellID: String, attemptNumber: Int, startedAt: Double, attempt: AttemptResult,
    slurm: SlurmAttemptProvenance
  ) {
    self.cellID = cellID
    self.attemptNumber = attemptNumber
    self.startedAt = startedAt
    self.attempt = attempt
    self.slurm = slurm
  }
}

/// A (cell, attempt) pair: the key of everything the Slurm executor records.
public struct CellAttempt: Sendable, Hashable {
  public var cellID: String
  public var attempt: Int

  public init(cellID: String, attempt: Int) {
    self.cellID = cellID
    self.attempt = attempt
  }
}
