/// `run.executor` and `run.slurm`: where cells run, and the job array's options.
extension SpecValidator {
  mutating func validateExecutor(_ run: SourceNode.Entry?) -> (Executor, SlurmSettings) {
    var settings = SlurmSettings()
    guard let mapping = run?.value, mapping.entries != nil else { return (.local, settings) }
    var executor = Executor.local
    if let entry = mapping["executor"] {
      if case .string(let name) = entry.value.scalar, let known = Executor(rawValue: name) {
        executor = known
      } else {
        diagnostics.error(
          entry.value.location, "'run.executor' must be 'local' or 'slurm', found \(describe(entry.value))",
          hint: "write executor: slurm")
      }
    }
    guard let slurm = mapping["slurm"] else { return (executor, settings) }
    if case .scalar(.null, _) = slurm.value.kind { return (executor, settings) }
    guard let fields = slurm.value.entries else {
      typeError(
        slurm.value, expected: "a mapping", for: "run.slurm", hint: "write slurm: {partition: gpu, time: 2h}")
      return (executor, settings)
    }
    checkKeys(fields, known: SlurmSettings.keys, in: "'run.slurm'")
    settings.partition = slurmWord(slurm.value["partition"], key: "partition")
    settings.gres = slurmWord(slurm.value["gres"], key: "gres")
    settings.account = slurmWord(slurm.value["account"], key: "account")
    settings.qos = slurmWord(slurm.value["qos"], key: "qos")
    settings.memory = slurmWord(slurm.value["mem"], key: "mem")
    if let memory = settings.memory, !Self.isMemory(memory) {
      diagnostics.error(
        slurm.value["mem"]!.value.location, "invalid memory '\(memory)' for 'run.slurm.mem'",
        hint: "a number of megabytes or one with a unit: 512M, 4G")
      settings.memory = nil
    }
    if let entry = slurm.value["time"] {
      let text: String? =
        switch entry.value.scalar {
        case .string(let s): s
        case .int(let n): String(n)
        default: nil
        }
      if let text, let minutes = SlurmSettings.minutes(text) {
        settings.timeMinutes = minutes
      } else {
        diagnostics.error(
          entry.value.location, "invalid time limit \(describe(entry.value)) for 'run.slurm.time'",
          hint: "minutes (90), Slurm's H:MM:SS or D-HH:MM:SS, or a duration: 30m, 2h")
      }
    }
    settings.cpus = positiveInt(slurm.value["cpus"], key: "cpus", minimum: 1)
    settings.throttle = positiveInt(slurm.value["throttle"], key: "throttle", minimum: 1)
    settings.maxRequeues = positiveInt(slurm.value["max_requeues"], key: "max_requeues", minimum: 0) ?? 3
    if let entry = slurm.value["signal_grace"] {
      let seconds: Double? =
        switch entry.value.scalar {
        case .int(let n): Double(n)
        case .string(let s): Self.duration(s)
        default: nil
        }
      if let seconds, seconds >= 1, seconds <= 65535 {
        settings.signalGrace = Int(seconds.rounded())
      } else {
        diagnostics.error(
          entry.value.location, "invalid 'run.slurm.signal_grace' \(describe(entry.value))",
          hint: "seconds before the time limit, 1 to 65535: 60 or 2m")
      }
    }
    settings.requeue = optionalBool(
      slurm.value["requeue"], key: "run.slurm.requeue", default: settings.requeue)
    if let entry = slurm.value["sbatch"] {
      if let items = entry.value.items {
        for item in items {
          if case .string(let line) = item.scalar, !line.isEmpty, !line.contains("\n") {
            settings.sbatch.append(line)
          } else {
            typeError(
              item, expected: "one sbatch option", for: "run.slurm.sbatch", hint: "like '--constraint=a100'")
          }
        }
      } else {
        typeError(
          entry.value, expected: "a list of sbatch options", for: "run.slurm.sbatch",
          hint: "write sbatch: ['--constraint=a100']")
      }
    }
    return (executor, settings)
  }

  private func describe(_ node: SourceNode) -> String {
    if case .scalar(_, let text) = node.kind { return "'\(text)'" }
    return node.kindDescription
  }

  /// A single Slurm word (no spaces, no newline): what `--partition=` and friends take.
  private mutating func slurmWord(_ entry: SourceNode.Entry?, key: String) -> String? {
    guard let entry else { return nil }
    let text: String? =
      switch entry.value.scalar {
      case .string(let s): s
      case .int(let n): String(n)
      default: nil
      }
    guard let text, !text.isEmpty, !text.contains(where: \.isWhitespace) else {
      diagnostics.error(
        entry.value.location, "expected one word for 'run.slurm.\(key)', found \(describe(entry.value))",
        hint: "no spaces; quote it if YAML reads it as something else")
      return nil
    }
    return text
  }

  private mutating func positiveInt(_ entry: SourceNode.Entry?, key: String, minimum: Int) -> Int? {
    guard let entry else { return nil }
    guard case .int(let n) = entry.value.scalar else {
      typeError(entry.value, expected: "an integer", for: "run.slurm.\(key)")
      return nil
    }
    guard n >= minimum else {
      diagnostics.error(entry.value.location, "'run.slurm.\(key)' must be \(minimum) or more")
      return nil
    }
    return n
  }

  /// "512", "512M", "4G", "1T": what `--mem` accepts.
  static func isMemory(_ text: String) -> Bool {
    var digits = Substring(text)
    if let last = text.last, "KMGTkmgt".contains(last) { digits = text.dropLast() }
    return !digits.isEmpty && digits.allSatisfy(\.isNumber) && Int(digits).map { $0 > 0 } == true
  }
}
