/// Where a cell stands. The raw values are what the store holds and what the CLI prints.
public enum CellStatus: String, Sendable, CaseIterable, Codable {
  case pending
  /// Submitted to Slurm (pending or running there); settled only by ingesting its task's result file.
  case queued
  case running
  case done
  case failed
  case diverged
  case timedOut = "timed-out"
  case interrupted

  /// A finished attempt that did not succeed: re-run only with `--retry-failed`.
  public var isFailure: Bool { self == .failed || self == .diverged || self == .timedOut }
}

extension CellStatus {
  /// A state this build does not know (written by a newer one) reads as `pending`: listed, never skipped.
  public init(from decoder: any Decoder) throws {
    self = CellStatus(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .pending
  }
}
