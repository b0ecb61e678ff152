import Foundation

/// A training checkpoint: a directory with `model.safetensors` (parameters; the model config,
/// step and generator states in its metadata) and `optimizer.safetensors` (moment buffers, with
/// the optimizer step in its metadata). Each file is written atomically; the optimizer first, so a
/// crash between the two leaves a model file whose step names the last complete checkpoint pair.
public enum Checkpoint {
  public static let modelFile = "model.safetensors"
  public static let optimizerFile = "optimizer.safetensors"

  /// What a checkpoint records besides tensors.
  public struct Info: Sendable, Equatable {
    public var step: Int
    /// The model configuration as JSON (decode it with the model's config type).
    public var config: String
    public var generators: [String: UInt64]
  }

  public static func save(
    model: Module, optimizer: Optimizer?, step: Int, config: some Encodable,
    extraGenerators: [String: RandomGenerator] = [:], to directory: URL
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let configJSON = String(decoding: try encoder.encode(config), as: UTF8.self)
    var generators: [String: UInt64] = [:]
    for (name, g) in model.namedGenerators() { generators["model.\(name)"] = g.state }
    for (name, g) in extraGenerators { generators[name] = g.state }
    var metadata = ["step": String(step), "config": configJSON, "format": "ablate-checkpoint-1"]
    for (name, state) in generators { metadata["rng.\(name)"] = String(state) }
    if let optimizer {
      try SafeTensors.write(
        optimizer.stateTensors(),
        metadata: ["step": String(step), "optimizer_step": String(optimizer.stepCount)],
        to: directory.appendingPathComponent(optimizerFile))
    }
    try SafeTensors.write(
      model.namedParameters(), metadata: metadata, to: directory.appendingPathComponent(modelFile))
  }

  /// Restores parameters, optimizer state and generator states; returns the recorded step and config.
  @discardableResult
  public static func load(
    into model: Module, optimizer: Optimizer?, extraGenerators: [String: RandomGenerator] = [:],
    from directory: URL
  ) throws -> Info {
    let modelURL = directory.appendingPathComponent(modelFile)
    let (tensors, metadata) = try SafeTensors.read(modelURL)
    guard let step = metadata["step"].flatMap(Int.init), let config = metadata["config"] else {
      throw StateMismatchError("\(modelURL.path): metadata lacks step or config; not an ablate checkpoint")
    }
    try model.loadParameters(tensors)
    var generators: [String: UInt64] = [:]
    for (key, value) in metadata where key.hasPrefix("rng.") {
      guard let state = UInt64(value) else {
        throw StateMismatchError("\(modelURL.path): bad generator state \(key)")
      }
      generators[String(key.dropFirst(4))] = state
    }
    for (name, g) in model.namedGenerators() {
      guard let state = generators["model.\(name)"] else {
        throw StateMismatchError("\(modelURL.path): no state for generator model.\(name)")
      }
      g.restore(state: state)
    }
    for (name, g) in extraGenerators {
      guard let state = generators[name] else {
        throw StateMismatchError("\(modelURL.path): no state for generator \(name)")
      }
      g.restore(state: state)
    }
    if let optimizer {
      let url = directory.appendingPathComponent(optimizerFile)
      let (state, meta) = try SafeTensors.read(url)
      guard meta["step"] == String(step), let optimizerStep = meta["optimizer_step"].flatMap(Int.init) else {
        throw StateMismatchError("\(url.path): optimizer state is not from step \(step)")
      }
      try optimizer.loadState(state, stepCount: optimizerStep)
    }
    return Info(step: step, config: config, generators: generators)
  }
}
