/// `seeds:` and `run:`: the repeat axis and the per-cell limits.
extension SpecValidator {
  mutating func validateSeeds(_ entry: SourceNode.Entry?) -> [Int] {
    guard let entry else { return [0] }
    guard let items = entry.value.items else {
      typeError(entry.value, expected: "a list of integers", for: "seeds", hint: "write seeds: [1, 2, 3]")
      return []
    }
    guard !items.isEmpty else {
      diagnostics.error(entry.value.location, "'seeds' is empty", hint: "give at least one seed, like [0]")
      return []
    }
    var seeds: [Int] = []
    var seen: [Int: SourceLocation] = [:]
    for item in items {
      guard case .int(let seed) = item.scalar else {
        typeError(item, expected: "an integer", for: "seeds")
        continue
      }
      if let first = seen[seed] {
        diagnostics.error(
          item.location, "seed \(seed) appears twice in 'seeds'",
          hint: "first at line \(first.line), column \(first.column)")
        continue
      }
      seen[seed] = item.location
      seeds.append(seed)
    }
    return seeds
  }

  mutating func validateRun(_ entry: SourceNode.Entry?) -> (Double?, Int) {
    guard let entry else { return (nil, 0) }
    if case .scalar(.null, _) = entry.value.kind { return (nil, 0) }
    guard let entries = entry.value.entries else {
      typeError(entry.value, expected: "a mapping", for: "run", hint: "write run: {timeout: 600, retries: 1}")
      return (nil, 0)
    }
    checkKeys(entries, known: ["timeout", "retries", "executor", "slurm"], in: "'run'")
    var timeout: Double?
    if let t = entry.value["timeout"] {
      switch t.value.scalar {
      case .null: break
      case .string(let text):
        if let seconds = Self.duration(text), seconds > 0 {
          timeout = seconds
        } else {
          diagnostics.error(
            t.value.location, "invalid duration '\(text)' for 'run.timeout'",
            hint: "give seconds (600) or a number with a unit: 90s, 10m, 1.5h, 1d")
        }
      case .some(let v) where v.doubleValue != nil:
        let seconds = v.doubleValue!
        if seconds > 0, seconds.isFinite {
          timeout = seconds
        } else {
          diagnostics.error(t.value.location, "'run.timeout' must be positive", hint: "omit it for no limit")
        }
      default:
        typeError(t.value, expected: "a duration in seconds", for: "run.timeout", hint: "like 600 or 10m")
      }
    }
    var retries = 0
    if let r = entry.value["retries"] {
      if case .int(let n) = r.value.scalar, n >= 0 {
        retries = n
      } else if case .int = r.value.scalar {
        diagnostics.error(r.value.location, "'run.retries' must be 0 or more")
      } else {
        typeError(r.value, expected: "an integer", for: "run.retries")
      }
    }
    return (timeout, retries)
  }

  /// "90s", "10m", "1.5h", "1d" -> seconds.
  static func duration(_ text: String) -> Double? {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
    guard let unit = text.last, let scale = units[unit], let n = Double(text.dropLast()), n.isFinite else {
      return nil
    }
    return n * scale
  }
}
