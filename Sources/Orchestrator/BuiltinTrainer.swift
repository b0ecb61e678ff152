import Foundation
import Spec
import TrainerProtocol

/// A trainer written in Swift and shipped in the `ablate` binary.
///
/// It runs in a child process (`ablate exec-builtin NAME`) through the same protocol as an external command,
/// so timeouts, kills, crash isolation and metric recording are one code path. Its settings are a `Decodable`
/// struct read from the cell's config, so an unknown key or a bad value is refused before anything is stored.
public protocol BuiltinTrainer: Sendable {
  associatedtype Settings: Decodable
  var name: String { get }
  /// Part of the trainer identity, so of every cell id: bump it when results would change, and cells re-run.
  var version: String { get }
  /// What it records beside its results (timings, attachments), for reports: none unless it says.
  var bookkeeping: TrainerBookkeeping { get }
  func train(_ settings: Settings, output: URL, metrics: any MetricsSink) throws
}

extension BuiltinTrainer {
  public var bookkeeping: TrainerBookkeeping { .none }

  /// The cell's settings; throws a `ConfigError` naming the key for an unknown key or a bad value.
  public func settings(from config: ConfigValue) throws -> Settings {
    try ConfigValueDecoder().decode(Settings.self, from: config)
  }

  /// Checks a cell's resolved config before anything is stored, so a bad value is a spec error, not a failed
  /// cell.
  public func validate(config: ConfigValue) throws { _ = try settings(from: config) }

  public func train(config: ConfigValue, output: URL, metrics: any MetricsSink) throws {
    try train(settings(from: config), output: output, metrics: metrics)
  }
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
