import ArgumentParser
import Foundation
import Store
import TrainerProtocol

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
