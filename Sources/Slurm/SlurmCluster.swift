import Foundation

/// A Slurm cluster seen through its command-line tools: typed operations over `SlurmCommands`, with the
/// parsing of what the tools print.
public final class SlurmCluster: Sendable {
  public let commands: any SlurmCommands

  public init(commands: any SlurmCommands = SystemSlurmCommands()) { self.commands = commands }

  /// `MaxArraySize` from `scontrol show config` (Slurm's default, 1001, when the line is missing).
  public func maxArraySize() throws -> Int {
    Self.parseMaxArraySize(try commands.run("scontrol", ["show", "config"]))
  }

  static func parseMaxArraySize(_ text: String) -> Int {
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      if parts.count == 2, parts[0] == "MaxArraySize", let n = Int(parts[1]), n > 0 { return n }
    }
    return 1001
  }

  /// Submits a batch script; returns the array's job id (`sbatch --parsable` prints "ID" or "ID;CLUSTER").
  public func submit(script: String) throws -> String {
    let output = try commands.run("sbatch", ["--parsable", script])
    guard let id = Self.parseSubmitted(output) else {
      throw SlurmError(command: "sbatch --parsable \(script)", message: "unexpected output '\(output)'")
    }
    return id
  }

  static func parseSubmitted(_ output: String) -> String? {
    let line = output.split(separator: "\n").last.map(String.init) ?? ""
    let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    return !id.isEmpty && id.allSatisfy(\.isNumber) ? id : nil
  }

  /// The live tasks of the named job arrays, one per array element (`squeue -r`), pending ones included.
  /// Finished and cancelled-while-pending tasks are absent: liveness only, never a result.
  public func liveTasks(jobNames: [String]) throws -> [LiveTask] {
    guard !jobNames.isEmpty else { return [] }
    let output = try commands.run(
      "squeue",
      [
        "--noheader", "--array", "--name=" + jobNames.joined(separator: ","),
        "--format=%j|%F|%K|%i|%T|%N|%P|%r",
      ])
    return Self.parseLiveTasks(output)
  }

  static func parseLiveTasks(_ output: String) -> [LiveTask] {
    output.split(separator: "\n").compactMap { line in
      let f = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard f.count >= 8, let index = Int(f[2]) else { return nil }
      return LiveTask(
        jobName: f[0], arrayID: f[1], taskIndex: index, jobID: f[3], state: f[4],
        node: f[5].isEmpty ? nil : f[5],
        partition: f[6], reason: f[7])
    }
  }

  /// Cancels whole arrays by id, and arrays whose id was never recorded by their job name.
  public func cancel(arrayIDs: [String], jobNames: [String]) throws {
    if !arrayIDs.isEmpty { _ = try commands.run("scancel", arrayIDs) }
    for name in jobNames { _ = try commands.run("scancel", ["--name=" + name]) }
  }

  /// Puts a running array task back in the queue, keeping its job id (`SLURM_RESTART_COUNT` goes up).
  public func requeue(arrayID: String, taskIndex: Int) throws {
    _ = try commands.run("scontrol", ["requeue", "\(arrayID)_\(taskIndex)"])
  }
}

/// One array element as `squeue` shows it.
public struct LiveTask: Sendable, Hashable {
  public var jobName: String
  public var arrayID: String
  public var taskIndex: Int
  /// "123_4", or the element's own id once it has one.
  public var jobID: String
  /// PENDING, RUNNING, COMPLETING, ...
  public var state: String
  public var node: String?
  public var partition: String
  public var reason: String
}
