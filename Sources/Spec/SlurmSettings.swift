/// Where a spec's cells run: on this machine (the default), or as one Slurm job array, submit-and-exit.
public enum Executor: String, Sendable, Hashable, CaseIterable {
  case local
  case slurm
}

/// The `run.slurm` options: what goes into the job array's `#SBATCH` lines and how its tasks recover.
///
/// Every field is optional in the spec and on the command line; a flag replaces the spec's value.
public struct SlurmSettings: Sendable, Hashable {
  public var partition: String?
  /// Each task's wall-clock limit in minutes (`--time`); nil leaves the partition's default.
  public var timeMinutes: Int?
  public var cpus: Int?
  /// `--mem`, as Slurm reads it: "4G", "512M".
  public var memory: String?
  public var gres: String?
  public var account: String?
  public var qos: String?
  /// Extra `#SBATCH` lines, verbatim ("--constraint=a100").
  public var sbatch: [String]
  /// How many of the array's tasks run at once (`%N`); nil for no throttle.
  public var throttle: Int?
  /// Whether a task requeues itself on the time-limit/preemption signal; false leaves it to the next `ablate run`.
  public var requeue: Bool
  /// How many times one attempt may requeue itself before it is recorded as interrupted or timed out.
  public var maxRequeues: Int
  /// Seconds before the time limit at which Slurm signals the task (`--signal=B:USR1@GRACE`).
  public var signalGrace: Int

  public init(
    partition: String? = nil, timeMinutes: Int? = nil, cpus: Int? = nil, memory: String? = nil,
    gres: String? = nil, account: String? = nil, qos: String? = nil, sbatch: [String] = [],
    throttle: Int? = nil, requeue: Bool = true, maxRequeues: Int = 3, signalGrace: Int = 60
  ) {
    self.partition = partition
    self.timeMinutes = timeMinutes
    self.cpus = cpus
    self.memory = memory
    self.gres = gres
    self.account = account
    self.qos = qos
    self.sbatch = sbatch
    self.throttle = throttle
    self.requeue = requeue
    self.maxRequeues = maxRequeues
    self.signalGrace = signalGrace
  }

  /// The keys `run.slurm` takes.
  public static let keys = [
    "partition", "time", "cpus", "mem", "gres", "account", "qos", "sbatch", "throttle", "requeue",
    "max_requeues", "signal_grace",
  ]

  /// "90" (minutes), "1:30:00", "2-00:00:00", or a duration with a unit ("90s", "10m", "1.5h", "1d") -> minutes,
  /// rounded up (Slurm's unit); nil for text that is none of these.
  public static func minutes(_ text: String) -> Int? {
    if let n = Int(text), n > 0 { return n }
    if let seconds = SpecValidator.duration(text), seconds > 0 { return Int((seconds / 60).rounded(.up)) }
    var days = 0
    var clock = Substring(text)
    if let dash = text.firstIndex(of: "-") {
      guard let d = Int(text[..<dash]), d >= 0 else { return nil }
      days = d
      clock = text[text.index(after: dash)...]
    }
    let parts = clock.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
    guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
    let values = parts.map { $0! }
    let seconds: Int
    switch values.count {
    case 3: seconds = values[0] * 3600 + values[1] * 60 + values[2]
    case 2: seconds = values[0] * 60 + values[1]
    default: seconds = values[0] * 60
    }
    let total = days * 1440 * 60 + seconds
    return total > 0 ? (total + 59) / 60 : nil
  }
}
