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
