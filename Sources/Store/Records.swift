import Foundation
import GRDB

/// A cell as the runner registers it: identity and resolved config, before any attempt.
public struct NewCell: Sendable, Hashable {
  public var id: String
  public var experiment: String
  public var variant: String
  public var gridPointJSON: String
  public var seed: Int
  public var configJSON: String
  public var configHash: String
  public var trainer: String

  public init(
    id: String, experiment: String, variant: String, gridPointJSON: String, seed: Int,
    configJSON: String, configHash: String, trainer: String
  ) {
    self.id = id
    self.experiment = experiment
    self.variant = variant
    self.gridPointJSON = gridPointJSON
    self.seed = seed
    self.configJSON = configJSON
    self.configHash = configHash
    self.trainer = trainer
  }
}

/// One row of the `cells` table, decoded by its column names.
public struct CellRecord: Sendable, Hashable, Codable, FetchableRecord {
  public var id: String
  public var experiment: String
  public var variant: String
  public var gridPointJSON: String
  public var seed: Int
  public var configJSON: String
  public var configHash: String
  public var trainer: String
  public var status: CellStatus
  public var attempt: Int
  public var leaseOwner: String?
  public var leaseExpiresAt: Double?
  public var startedAt: Double?
  public var endedAt: Double?
  public var exitCode: Int?
  public var errorText: String?
  public var provenanceID: Int64?
  public var duration: Double?
  public var outputDir: String?

  enum CodingKeys: String, CodingKey {
    case id, experiment, variant, gridPointJSON = "grid_point", seed, configJSON = "config"
    case configHash = "config_hash", trainer, status, attempt, leaseOwner = "lease_owner"
    case leaseExpiresAt = "lease_expires_at", startedAt = "started_at", endedAt = "ended_at"
    case exitCode = "exit_code", errorText = "error_text", provenanceID = "provenance_id", duration
    case outputDir = "output_dir"
  }
}

/// One observation of a metric during an attempt.
public struct MetricPoint: Sendable, Hashable {
  public var name: String
  public var step: Int?
  public var value: Double
  public var time: Double

  public init(name: String, step: Int?, value: Double, time: Double) {
    self.name = name
    self.step = step
    self.value = value
    self.time = time
  }
}

/// The last value a metric took in an attempt.
public struct FinalMetric: Sendable, Hashable {
  public var name: String
  public var value: Double
  public var step: Int?

  public init(name: String, value: Double, step: Int?) {
    self.name = name
    self.value = value
    self.step = step
  }
}

/// A file a cell left in its output directory.
public struct Artifact: Sendable, Hashable {
  public var path: String
  public var sha256: String
  public var bytes: Int64

  public init(path: String, sha256: String, bytes: Int64) {
    self.path = path
    self.sha256 = sha256
    self.bytes = bytes
  }
}

/// Everything one finished attempt produced; written in a single transaction.
public struct AttemptResult: Sendable {
  public var status: CellStatus
  public var exitCode: Int?
  public var errorText: String?
  public var endedAt: Double
  public var duration: Double
  public var points: [MetricPoint]
  public var finals: [FinalMetric]
  public var artifacts: [Artifact]

  public init(
    status: CellStatus, exitCode: Int?, errorText: String?, endedAt: Double, duration: Double,
    points: [MetricPoint], finals: [FinalMetric], artifacts: [Artifact]
  ) {
    self.status = status
    self.exitCode = exitCode
    self.errorText = errorText
    self.endedAt = endedAt
    self.duration = duration
    self.points = points
    self.finals = finals
    self.artifacts = artifacts
  }
}

/// What a claim found.
public enum ClaimOutcome: Sendable, Equatable {
  /// The caller owns the cell now, for this attempt number.
  case claimed(attempt: Int)
  /// Another runner holds a live lease on it.
  case busy(owner: String, expiresAt: Double)
  /// Finished already (done, or a failure without `retryFailed`).
  case settled(CellStatus)
  /// No such cell registered.
  case missing
}

/// A distinct provenance, recorded once and shared by every cell that ran under it.
public struct ProvenanceRecord: Sendable, Hashable {
  public var id: Int64
  public var json: String
  public var diffSHA256: String?
}
