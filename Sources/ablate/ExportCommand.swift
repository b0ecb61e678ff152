import ArgumentParser
import Foundation
import Orchestrator
import Spec
import Store

/// `ablate export SPEC --format csv|json`: one row per cell with its grid point and final metrics.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Export a spec's cells and final metrics as CSV or JSON.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

  @Argument(help: "The experiment spec (YAML).") var spec: String
  @Option(help: "csv or json.") var format: Format = .csv
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @OptionGroup var store: StoreOption

  func run() throws {
    let spec = try loadSpec(self.spec, overrides: overrides)
    let launch = try resolveTrainer(spec)
    let cells = spec.cells(trainerIdentity: launch.identity)
    let opened = try store.openExisting()
    let records = try opened?.cells(ids: cells.map(\.id)) ?? [:]
    let finals = try opened?.finalMetrics(cellIDs: cells.map(\.id)) ?? [:]
    let gridKeys = Set(cells.flatMap(\.gridPoint.keys)).sorted()
    let metricNames = Set(finals.values.flatMap { $0.map(\.name) }).sorted()

    switch format {
    case .json:
      var objects: [ConfigValue] = []
      for cell in cells {
        let record = records[cell.id]
        var metrics: [String: ConfigValue] = [:]
        for m in finals[cell.id] ?? [] {
          metrics[m.name] = m.value.isFinite ? .double(m.value) : .string("\(m.value)")
        }
        objects.append(
          .object([
            "id": .string(cell.id), "experiment": .string(cell.experiment), "variant": .string(cell.variant),
            "seed": .int(cell.seed), "grid": .object(cell.gridPoint),
            "status": .string((record?.status ?? .pending).rawValue),
            "duration": record?.duration.map(ConfigValue.double) ?? .null, "metrics": .object(metrics),
            "config": cell.config,
          ]))
      }
      printOut(ConfigValue.array(objects).canonicalJSON)
    case .csv:
      var lines = [
        (["id", "experiment", "variant", "seed"] + gridKeys + ["status", "duration"] + metricNames)
          .map(csvField).joined(separator: ",")
      ]
      for cell in cells {
        let record = records[cell.id]
        let values = Dictionary((finals[cell.id] ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        var fields = [cell.id, cell.experiment, cell.variant, String(cell.seed)]
        fields += gridKeys.map { key in cell.gridPoint[key].map(csvValue) ?? "" }
        fields += [(record?.status ?? .pending).rawValue, record?.duration.map { String($0) } ?? ""]
        fields += metricNames.map { values[$0].map { String($0) } ?? "" }
        lines.append(fields.map(csvField).joined(separator: ","))
      }
      printOut(lines.joined(separator: "\n"))
    }
  }

  private func csvValue(_ value: ConfigValue) -> String {
    if case .string(let s) = value { return s }
    return value.canonicalJSON
  }

  private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
