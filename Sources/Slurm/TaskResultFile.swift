import Foundation
import Primitives
import Store

/// The file a Slurm task leaves last, `result.json` in its attempt's directory, atomically renamed into place:
/// the only way a task's outcome reaches the store. Its presence means the attempt is over.
public struct TaskResultFile: Sendable, Codable {
  public var cell: String
  public var attempt: Int
  public var status: String
  public var exitCode: Int?
  public var error: String?
  public var startedAt: Double
  public var endedAt: Double
  public var duration: Double
  public var points: [Point]
  public var finals: [Final]
  public var artifacts: [File]
  public var slurm: SlurmAttemptProvenance

  public struct Point: Sendable, Codable {
    public var name: String
    public var step: Int?
    /// nil for a non-finite value (JSON has none); `nonFinite` keeps which.
    public var value: Double?
    public var nonFinite: String?
    public var time: Double
  }

  public struct Final: Sendable, Codable {
    public var name: String
    public var value: Double?
    public var nonFinite: String?
    public var step: Int?
  }

  public struct File: Sendable, Codable {
    public var path: String
    public var sha256: String
    public var bytes: Int64
  }

  public static let fileName = "result.json"

  public init(
    cell: String, attempt: Int, result: AttemptResult, startedAt: Double, slurm: SlurmAttemptProvenance
  ) {
    self.cell = cell
    self.attempt = attempt
    status = result.status.rawValue
    exitCode = result.exitCode
    error = result.errorText
    self.startedAt = startedAt
    endedAt = result.endedAt
    duration = result.duration
    points = result.points.map {
      Point(
        name: $0.name, step: $0.step, value: Self.finite($0.value), nonFinite: Self.label($0.value),
        time: $0.time)
    }
    finals = result.finals.map {
      Final(name: $0.name, value: Self.finite($0.value), nonFinite: Self.label($0.value), step: $0.step)
    }
    artifacts = result.artifacts.map { File(path: $0.path, sha256: $0.sha256, bytes: $0.bytes) }
    self.slurm = slurm
  }

  /// The store's view of it.
  public var taskResult: SlurmTaskResult {
    let attemptResult = AttemptResult(
      status: CellStatus(rawValue: status) ?? .failed, exitCode: exitCode, errorText: error, endedAt: endedAt,
      duration: duration,
      points: points.map {
        MetricPoint(name: $0.name, step: $0.step, value: Self.value($0.value, $0.nonFinite), time: $0.time)
      },
      finals: finals.map {
        FinalMetric(name: $0.name, value: Self.value($0.value, $0.nonFinite), step: $0.step)
      },
      artifacts: artifacts.map { Artifact(path: $0.path, sha256: $0.sha256, bytes: $0.bytes) })
    return SlurmTaskResult(
      cellID: cell, attemptNumber: attempt, startedAt: startedAt, attempt: attemptResult, slurm: slurm)
  }

  public func write(to directory: String) throws {
    try AtomicFile.write(try JSONEncoder().encode(self), to: directory + "/" + Self.fileName)
  }

  /// The result in `directory`, nil when there is none yet; a file that does not parse (never renamed into
  /// place half-written, so a foreign file) is reported as a failed attempt rather than dropped.
  public static func read(from directory: String, cell: String, attempt: Int) -> TaskResultFile? {
    let path = directory + "/" + fileName
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    if let file = try? JSONDecoder().decode(TaskResultFile.self, from: data), file.cell == cell,
      file.attempt == attempt
    {
      return file
    }
    let now = Date().timeIntervalSince1970
    return TaskResultFile(
      cell: cell, attempt: attempt,
      result: AttemptResult(
        status: .failed, exitCode: nil, errorText: "\(path) is not a result file of this attempt",
        endedAt: now,
        duration: 0, points: [], finals: [], artifacts: []),
      startedAt: now,
      slurm: SlurmAttemptProvenance(
        jobID: nil, arrayID: nil, taskIndex: nil, restartCount: 0, node: nil, partition: nil, gitCommit: nil,
        binarySHA256: nil, mismatch: nil))
  }

  private static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
  private static func label(_ v: Double) -> String? {
    v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "Infinity" : "-Infinity") : nil
  }
  private static func value(_ v: Double?, _ label: String?) -> Double {
    if let v { return v }
    switch label {
    case "Infinity": return .infinity
    case "-Infinity": return -.infinity
    default: return .nan
    }
  }
}
