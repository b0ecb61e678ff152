import ArgumentParser
import Experiments
import Foundation
import Primitives
import Spec
import TensorBoard

/// `ablate export SPEC --format csv|json`: one row per cell with its grid point and final metrics;
/// `--format tensorboard DIR`: one TensorBoard run directory per cell with its curves and config.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a spec's cells and final metrics as CSV or JSON, or its curves as TensorBoard runs.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, tensorboard }

  @OptionGroup var experiment: ExperimentOptions
  @Argument(help: "With --format tensorboard: the folder to write run directories into.") var folder: String?
  @Option(help: "csv, json or tensorboard.") var format: Format = .csv

  func run() throws {
    if format == .tensorboard, folder == nil {
      throw CLIError.badInput(
        "--format tensorboard needs a folder (hint: ablate export SPEC --format tensorboard DIR)")
    }
    if format != .tensorboard, folder != nil {
      throw CLIError.badInput(
        "a folder applies to --format tensorboard only (hint: csv and json go to stdout)")
    }
    let experiment = try self.experiment.open()
    let cells = experiment.cells
    let results = try experiment.results()
    let (records, finals, origins) = (results.records, results.finals, results.origins)

    switch format {
    case .tensorboard:
      guard let store = results.store, let folder else {
        throw CLIError.badInput("\(experiment.storePath): no store yet (hint: ablate run the spec first)")
      }
      let written = try TensorBoardExport.write(
        cells: cells, store: store, to: URL(fileURLWithPath: folder, isDirectory: true))
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
      let gridKeys = Set(cells.flatMap(\.gridPoint.keys)).sorted()
      let metricNames = Set(finals.values.flatMap { $0.map(\.name) }).sorted()
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
