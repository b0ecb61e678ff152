import ArgumentParser
import Foundation
import Orchestrator
import Spec
import Store
import TrainerProtocol
import Trainers

/// The `--store` option every command that reads or writes results takes.
struct StoreOption: ParsableArguments {
  @Option(name: .customLong("store"), help: "The SQLite store (created on first run).")
  var path: String = RunLayout.defaultStorePath

  /// Opens an existing store read-only (no lock, no migration, no write); nil when there is none yet.
  func openExisting() throws -> Store? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try Store(path: path, access: .readOnly)
  }

  /// Opens the store for a runner, creating or migrating it.
  func open() throws -> Store { try Store(path: path) }
}

/// Loads and validates a spec, turning every problem into a `file:line:col: ...` line and exit code 2.
func loadSpec(_ path: String, overrides: [String]) throws -> ExperimentSpec {
  do {
    return try ExperimentSpec.load(path: path, overrides: overrides)
  } catch {
    throw badInput(error.errors.map(\.description))
  }
}

/// The spec's trainer, resolved against the built-ins this binary ships.
func resolveTrainer(_ spec: ExperimentSpec) throws -> TrainerLaunch {
  do {
    return try TrainerLaunch.resolve(spec, registry: .standard, executable: executablePath)
  } catch let error as RunError {
    throw badInput(error.message)
  }
}

/// A built-in trainer's checks of every cell's resolved config, before the store is opened: one line per
/// distinct problem, at the spec line that sets the key when the trainer names one, exit code 2, nothing written.
func validateBuiltinConfigs(_ spec: ExperimentSpec, _ cells: [Cell]) throws {
  guard case .builtin(let name) = spec.trainer, let trainer = BuiltinRegistry.standard[name] else { return }
  var problems: [String] = []
  for cell in cells {
    do { try trainer.validate(config: cell.config) } catch {
      let problem = error as? ConfigError
      let at = problem.flatMap { spec.location(ofKey: $0.key, variant: cell.variant) }
      let place = at.map { "\($0): " } ?? "\(spec.file): variant '\(cell.variant)': "
      let line = place + "\(error) (hint: \(problem?.hint ?? "fix it in the spec or with --set"))"
      if !problems.contains(line) { problems.append(line) }
    }
  }
  if !problems.isEmpty { throw badInput(problems) }
}

/// This binary's own path, for running built-in trainers in a child process.
var executablePath: String {
  if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
    return resolved
  }
  return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
}

func printOut(_ text: String) {
  FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Left-aligned columns separated by two spaces.
func table(_ header: [String], _ rows: [[String]]) -> String {
  var widths = header.map(\.count)
  for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
  func line(_ cells: [String]) -> String {
    cells.enumerated().map { i, cell in
      i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
    }.joined(separator: "  ")
  }
  return ([line(header)] + rows.map(line)).joined(separator: "\n")
}

func formatMetric(_ value: Double) -> String {
  if value.isNaN { return "NaN" }
  if value.isInfinite { return value > 0 ? "inf" : "-inf" }
  return String(format: "%.4g", value)
}

func formatDuration(_ seconds: Double?) -> String {
  guard let seconds else { return "-" }
  return seconds < 60 ? String(format: "%.2fs", seconds) : String(format: "%.1fm", seconds / 60)
}
