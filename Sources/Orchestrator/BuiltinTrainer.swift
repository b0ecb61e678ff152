import Foundation
import Spec

/// Where a trainer reports metrics: one call per step (or one call without a step for final values).
public protocol MetricsSink: AnyObject {
  func log(step: Int?, _ values: [String: Double]) throws
}

/// A trainer written in Swift and shipped in the `ablate` binary.
///
/// It runs in a child process (`ablate exec-builtin NAME`) through the same protocol as an external command,
/// so timeouts, kills, crash isolation and metric recording are one code path.
public protocol BuiltinTrainer: Sendable {
  var name: String { get }
  /// Part of the trainer identity: bump it when results would change, and cells re-run.
  var version: String { get }
  func train(config: ConfigValue, output: URL, metrics: any MetricsSink) throws
  /// Checks a cell's resolved config before anything is stored, so a bad value is a spec error, not a failed
  /// cell. Throws an error whose description is one line.
  func validate(config: ConfigValue) throws
}

extension BuiltinTrainer {
  /// Trainers that read no config keys of their own accept anything.
  public func validate(config: ConfigValue) throws {}
}

/// A trainer's complaint about one key of a cell's config, so that `ablate run` can point at the spec line
/// that sets it.
public protocol ConfigKeyProblem: Error {
  var key: String { get }
}

/// The built-in trainers a binary knows, by name.
public struct BuiltinRegistry: Sendable {
  public private(set) var trainers: [String: any BuiltinTrainer] = [:]

  public init(_ trainers: [any BuiltinTrainer] = []) {
    for trainer in trainers { register(trainer) }
  }

  public mutating func register(_ trainer: any BuiltinTrainer) { trainers[trainer.name] = trainer }

  public subscript(name: String) -> (any BuiltinTrainer)? { trainers[name] }

  public var names: [String] { trainers.keys.sorted() }
}

/// Appends JSON lines to the `ABLATE_METRICS` file, one flushed line per call.
public final class MetricsFileWriter: MetricsSink {
  private let handle: FileHandle

  public init(path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
      _ = FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    handle.seekToEndOfFile()
    self.handle = handle
  }

  deinit { try? handle.close() }

  public func log(step: Int?, _ values: [String: Double]) throws {
    var fields: [String] = []
    if let step { fields.append("\"step\":\(step)") }
    for (name, value) in values.sorted(by: { $0.key < $1.key }) {
      fields.append("\(Self.quote(name)):\(Self.number(value))")
    }
    try handle.write(contentsOf: Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
  }

  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    return "\(value)"
  }

  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
