import ArgumentParser
import Foundation
import Orchestrator
import Primitives
import Provenance
import Spec
import Store
import TensorBoard

/// `ablate export SPEC --format csv|json`: one row per cell with its grid point and final metrics;
/// `--format tensorboard DIR`: one TensorBoard run directory per cell with its curves and config.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a spec's cells and final metrics as CSV or JSON, or its curves as TensorBoard runs.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, tensorboard }

  @Argument(help: "The experiment spec (YAML).") var spec: String
  @Argument(help: "With --format tensorboard: the folder to write run directories into.") var folder: String?
  @Option(help: "csv, json or tensorboard.") var format: Format = .csv
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @OptionGroup var store: StoreOption

  func validate() throws {
    if format == .tensorboard, folder == nil {
      throw badInput(
        "--format tensorboard needs a folder (hint: ablate export SPEC --format tensorboard DIR)")
    }
    if format != .tensorboard, folder != nil {
      throw badInput("a folder applies to --format tensorboard only (hint: csv and json go to stdout)")
    }
  }

  func run() throws {
    let spec = try loadSpec(self.spec, overrides: overrides)
    let launch = try resolveTrainer(spec)
    let cells = spec.cells(trainerIdentity: launch.identity)
    let opened = try store.openExisting()
    let records = try opened?.cells(ids: cells.map(\.id)) ?? [:]
    let finals = try opened?.finalMetrics(cellIDs: cells.map(\.id)) ?? [:]
    let origins = try RunOrigin.load(records.values.compactMap(\.provenanceID), from: opened)
    let gridKeys = Set(cells.flatMap(\.gridPoint.keys)).sorted()
    let metricNames = Set(finals.values.flatMap { $0.map(\.name) }).sorted()

    switch format {
    case .tensorboard:
      guard let opened, let folder else {
        throw badInput("\(store.path): no store yet (hint: ablate run the spec first)")
      }
      let written = try TensorBoardExport.write(
        cells: cells, store: opened, to: URL(fileURLWithPath: folder, isDirectory: true))
      printOut(
        "wrote \(written.runs) runs (\(written.scalars) scalars) to \(folder); view: tensorboard --logdir \(folder)"
      )
    case .json:
      var objects: [ConfigValue] = []
      for cell in cells {
        let record = records[cell.id]
        var metrics: [String: ConfigValue] = [:]
        for m in finals[cell.id] ?? [] {
          metrics[m.name] = m.value.isFinite ? .double(m.value) : .string("\(m.value)")
        }
        var object: [String: ConfigValue] = [
          "id": .string(cell.id), "experiment": .string(cell.experiment), "variant": .string(cell.variant),
          "seed": .int(cell.seed), "grid": .object(cell.gridPoint),
          "status": .string((record?.status ?? .pending).rawValue),
          "duration": record?.duration.map(ConfigValue.double) ?? .null, "metrics": .object(metrics),
          "config": cell.config,
        ]
        for (key, value) in zip(RunOrigin.columns, RunOrigin.fields(record, origins)) {
          switch (key, value) {
          case (_, nil): object[key] = .null
          case ("attempt", let v?): object[key] = Int(v).map(ConfigValue.int) ?? .null
          case ("dirty", let v?): object[key] = .bool(v == "true")
          case (_, let v?): object[key] = .string(v)
          }
        }
        objects.append(.object(object))
      }
      printOut(ConfigValue.array(objects).canonicalJSON)
    case .csv:
      var lines = [
        (["id", "experiment", "variant", "seed"] + gridKeys + ["status", "duration"] + RunOrigin.columns
          + metricNames)
          .map(\.csvField).joined(separator: ",")
      ]
      for cell in cells {
        let record = records[cell.id]
        let values = Dictionary((finals[cell.id] ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        var fields = [cell.id, cell.experiment, cell.variant, String(cell.seed)]
        fields += gridKeys.map { key in cell.gridPoint[key].map(csvValue) ?? "" }
        fields += [(record?.status ?? .pending).rawValue, record?.duration.map { String($0) } ?? ""]
        fields += RunOrigin.fields(record, origins).map { $0 ?? "" }
        fields += metricNames.map { values[$0].map { String($0) } ?? "" }
        lines.append(fields.map(\.csvField).joined(separator: ","))
      }
      printOut(lines.joined(separator: "\n"))
    }
  }

  private func csvValue(_ value: ConfigValue) -> String {
    if case .string(let s) = value { return s }
    return value.canonicalJSON
  }
}

/// Where and from what code a cell's recorded attempt ran, for every exported row: so results can be
/// grouped by code revision and host.
struct RunOrigin {
  var commit: String?
  var dirty: Bool
  var diffSHA256: String?
  var host: String

  static let columns = ["attempt", "started_at", "ended_at", "commit", "dirty", "diff_sha256", "host"]

  /// The origins of the given provenance ids, read once each.
  static func load(_ ids: [Int64], from store: Store?) throws -> [Int64: RunOrigin] {
    guard let store else { return [:] }
    var origins: [Int64: RunOrigin] = [:]
    for id in Set(ids) {
      guard let record = try store.provenance(id: id),
        let provenance = try? JSONDecoder().decode(Provenance.self, from: Data(record.json.utf8))
      else { continue }
      origins[id] = RunOrigin(
        commit: provenance.git.commit, dirty: provenance.git.dirty,
        diffSHA256: provenance.git.diffSHA256 ?? record.diffSHA256, host: provenance.host)
    }
    return origins
  }

  /// The row's values for `columns`, nil where not recorded (a cell never run).
  static func fields(_ record: CellRecord?, _ origins: [Int64: RunOrigin]) -> [String?] {
    let origin = record?.provenanceID.flatMap { origins[$0] }
    func time(_ t: Double?) -> String? {
      t.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
    }
    return [
      record.map { String($0.attempt) }, time(record?.startedAt), time(record?.endedAt), origin?.commit,
      origin.map { String($0.dirty) }, origin?.diffSHA256, origin?.host,
    ]
  }
}
