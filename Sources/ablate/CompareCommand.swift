import ArgumentParser
import Experiments
import Foundation
import Spec
import Store

/// `ablate compare A B`: two cells (ids or prefixes), or two variants of a spec (`--spec`), side by side.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare two cells, or two variants of a spec (--spec), by config and final metrics.")

  @Argument(help: "A cell id (prefix), or a variant name with --spec.") var a: String
  @Argument(help: "A cell id (prefix), or a variant name with --spec.") var b: String
  @Option(help: "Compare variants of this spec (metrics averaged over their done cells).") var spec: String?
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @OptionGroup var store: StoreOption

  func run() throws {
    guard let store = try store.openExisting() else {
      throw CLIError.badInput("\(self.store.path): no store here yet; run a spec first or pass --store")
    }
    let (left, right) =
      try spec.map { try variants($0, store: store) } ?? (try cell(a, store), try cell(b, store))
    var lines = ["config      \(a)  |  \(b)"]
    let keys = Set(left.config.keys).union(right.config.keys).sorted()
    var same = 0
    for key in keys {
      let x = left.config[key], y = right.config[key]
      if x == y { same += 1; continue }
      lines.append("  \(key): \(x ?? "(unset)")  |  \(y ?? "(unset)")")
    }
    lines.append("  (\(same) keys equal)")
    lines.append("metric      \(a)  |  \(b)  |  Δ (b - a)")
    let metrics = Set(left.metrics.keys).union(right.metrics.keys).sorted()
    for name in metrics {
      let x = left.metrics[name], y = right.metrics[name]
      let delta = x.flatMap { x in y.map { formatMetric($0 - x) } } ?? "-"
      lines.append("  \(name): \(x.map(formatMetric) ?? "-")  |  \(y.map(formatMetric) ?? "-")  |  \(delta)")
    }
    if !left.note.isEmpty || !right.note.isEmpty {
      lines.append("cells       \(left.note)  |  \(right.note)")
    }
    printOut(lines.joined(separator: "\n"))
  }

  struct Side {
    var config: [String: String]
    var metrics: [String: Double]
    var note: String
  }

  private func cell(_ prefix: String, _ store: Store) throws -> Side {
    let matches = try store.cells(idPrefix: prefix)
    guard matches.count == 1, let record = matches.first else {
      throw CLIError.badInput(
        matches.isEmpty ? "no cell with id '\(prefix)'" : "cell id '\(prefix)' is ambiguous")
    }
    let config = flatten(try JSONDecoder().decode(ConfigValue.self, from: Data(record.configJSON.utf8)))
    let finals = try store.finalMetrics(cellIDs: [record.id])[record.id] ?? []
    return Side(
      config: config,
      metrics: Dictionary(finals.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b }),
      note: "\(record.status.rawValue)")
  }

  private func variants(_ path: String, store: Store) throws -> (Side, Side) {
    let experiment = try Experiment(
      spec: path, overrides: overrides, store: self.store.path, executable: executablePath)
    let (spec, cells) = (experiment.spec, experiment.cells)
    let records = try store.cells(ids: cells.map(\.id))
    func side(_ name: String) throws -> Side {
      guard let variant = spec.variants.first(where: { $0.name == name }) else {
        throw CLIError.badInput(
          "\(path): no variant '\(name)' (variants: \(spec.variants.map(\.name).joined(separator: ", ")))")
      }
      let mine = cells.filter { $0.variant == name }
      let done = mine.filter { records[$0.id]?.status == .done }
      let finals = try store.finalMetrics(cellIDs: done.map(\.id))
      var sums: [String: [Double]] = [:]
      for list in finals.values {
        for m in list where m.value.isFinite { sums[m.name, default: []].append(m.value) }
      }
      var config = flatten(variant.apply(to: spec.baseline))
      config.removeValue(forKey: "seed")
      return Side(
        config: config, metrics: sums.mapValues { $0.reduce(0, +) / Double($0.count) },
        note: "\(done.count)/\(mine.count) done")
    }
    return (try side(a), try side(b))
  }

  private func flatten(_ value: ConfigValue, prefix: String = "") -> [String: String] {
    guard case .object(let fields) = value else { return [prefix: value.canonicalJSON] }
    var out: [String: String] = [:]
    for (key, v) in fields {
      out.merge(flatten(v, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { a, _ in a }
    }
    return out
  }
}
