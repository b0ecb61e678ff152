import TrainerProtocol

/// How `ablate run` runs a spec's cells.
public struct RunOptions: Sendable {
  public var jobs: Int
  public var retryFailed: Bool
  /// How long a claim lives without a heartbeat; another runner may take the cell after that.
  public var leaseSeconds: Double
  /// Where cells' attempts, stages and the world cache go: beside the store.
  public var layout: RunLayout
  /// The spec's per-cell timeout and retry count.
  public var timeoutSeconds: Double?
  public var retries: Int

  public init(
    jobs: Int = 1, retryFailed: Bool = false, leaseSeconds: Double = 30, layout: RunLayout,
    timeoutSeconds: Double? = nil, retries: Int = 0
  ) {
    self.jobs = max(1, jobs)
    self.retryFailed = retryFailed
    self.leaseSeconds = leaseSeconds
    self.layout = layout
    self.timeoutSeconds = timeoutSeconds
    self.retries = retries
  }
}

/// What a run did, for the summary line and the exit code.
public struct RunSummary: Sendable {
  public var total = 0
  /// Already finished when the run began (done, or failed without `--retry-failed`).
  public var skipped = 0
  public var counts: [String: Int] = [:]
  /// Cells that another runner was still running when this one gave up waiting (none normally).
  public var leftToOthers = 0
  /// SIGINT or SIGTERM that stopped the run, 0 if none.
  public var stopSignal: Int32 = 0
  /// The resource failure (full disk, permission, damaged store) that stopped the run, as one line.
  public var environmentFailure: String?
  /// Every cell of the spec is `done` in the store.
  public var allDone = false
}
