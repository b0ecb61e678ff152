import Spec

/// The job array's batch script: every option as an `#SBATCH` line (readable, and re-submittable by hand),
/// then one command, `ablate slurm-task DIR`, exec'd so that Slurm's `B:` warning signal reaches it.
public struct BatchScript: Sendable, Hashable {
  public var jobName: String
  public var array: ArrayRange
  public var submissionDirectory: String
  public var workingDirectory: String
  public var executable: String
  public var settings: SlurmSettings

  public init(
    jobName: String, array: ArrayRange, submissionDirectory: String, workingDirectory: String,
    executable: String,
    settings: SlurmSettings
  ) {
    self.jobName = jobName
    self.array = array
    self.submissionDirectory = submissionDirectory
    self.workingDirectory = workingDirectory
    self.executable = executable
    self.settings = settings
  }

  public var options: [String] {
    var lines = [
      "--job-name=\(jobName)",
      "--array=\(array)",
      "--output=\(submissionDirectory)/logs/%A_%a.log",
      "--open-mode=append",
      settings.requeue ? "--requeue" : "--no-requeue",
      "--signal=B:USR1@\(settings.signalGrace)",
      "--chdir=\(workingDirectory)",
    ]
    if let p = settings.partition { lines.append("--partition=\(p)") }
    if let t = settings.timeMinutes { lines.append("--time=\(t)") }
    if let c = settings.cpus { lines.append("--cpus-per-task=\(c)") }
    if let m = settings.memory { lines.append("--mem=\(m)") }
    if let g = settings.gres { lines.append("--gres=\(g)") }
    if let a = settings.account { lines.append("--account=\(a)") }
    if let q = settings.qos { lines.append("--qos=\(q)") }
    lines += settings.sbatch
    return lines
  }

  public var text: String {
    var script = "#!/bin/sh\n# Written by ablate: one array element per cell; see tasks.tsv beside it.\n"
    for option in options { script += "#SBATCH \(option)\n" }
    script += "exec \(Self.quote(executable)) slurm-task \(Self.quote(submissionDirectory))\n"
    return script
  }

  /// Single-quoted for sh.
  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
