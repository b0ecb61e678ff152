import Foundation

/// How a training run proceeds; `Codable` so that it is recorded with the run.
public struct TrainingConfig: Codable, Sendable, Equatable {
  public var steps: Int
  public var schedule: Schedule
  /// Micro-batches whose gradients are summed (each loss scaled by 1/accumulation) per update.
  public var accumulation: Int
  /// Clip the global gradient norm to this value before each update (nil: no clipping).
  public var clipNorm: Float?
  /// Save a checkpoint every this many updates (nil: only when asked).
  public var checkpointEvery: Int?

  public init(
    steps: Int, schedule: Schedule, accumulation: Int = 1, clipNorm: Float? = 1, checkpointEvery: Int? = nil
  ) {
    self.steps = steps
    self.schedule = schedule
    self.accumulation = accumulation
    self.clipNorm = clipNorm
    self.checkpointEvery = checkpointEvery
  }
}

/// What a trainer reports while it runs.
public enum TrainingEvent: Sendable, Equatable {
  /// An update finished: its index (1-based), mean micro-batch loss, rate used, pre-clip norm.
  case step(step: Int, loss: Float, learningRate: Float, gradientNorm: Float)
  case checkpoint(step: Int, directory: URL)
  case finished(step: Int)
}

/// The training loop: schedule, gradient accumulation, clipping, optimizer step, checkpoints.
/// The loss closure builds the graph for micro-batch `micro` of update `step` (0-based).
public final class Trainer {
  public let model: Module
  public let optimizer: Optimizer
  public let config: TrainingConfig
  /// Updates completed so far (restored by `resume`).
  public private(set) var step = 0

  public init(model: Module, optimizer: Optimizer, config: TrainingConfig) {
    precondition(config.accumulation >= 1, "Trainer: accumulation must be >= 1")
    self.model = model
    self.optimizer = optimizer
    self.config = config
  }

  /// One update over `config.accumulation` micro-batches; returns the mean loss.
  @discardableResult
  public func trainStep(_ loss: (_ step: Int, _ micro: Int) throws -> Tensor) rethrows -> TrainingEvent {
    optimizer.zeroGrad()
    var total: Float = 0
    let scale = 1 / Float(config.accumulation)
    for micro in 0..<config.accumulation {
      let l = try loss(step, micro)
      total += l.item
      l.backward(seed: scale)
    }
    let parameters = optimizer.parameters
    let norm =
      config.clipNorm.map { clipGradientNorm(parameters, maxNorm: $0) }
      ?? clipGradientNorm(parameters, maxNorm: .infinity)
    let rate = config.schedule.learningRate(at: step)
    optimizer.learningRate = rate
    optimizer.step()
    step += 1
    return .step(step: step, loss: total * scale, learningRate: rate, gradientNorm: norm)
  }

  /// Trains until `config.steps` updates, reporting each event; checkpoints into `directory`
  /// (with `modelConfig` and the `extraGenerators`, e.g. the data order) when configured.
  public func run(
    checkpointDirectory directory: URL? = nil, modelConfig: some Encodable = [String: String](),
    extraGenerators: [String: RandomGenerator] = [:],
    loss: (_ step: Int, _ micro: Int) throws -> Tensor, onEvent: (TrainingEvent) -> Void = { _ in }
  ) throws {
    while step < config.steps {
      onEvent(try trainStep(loss))
      if let directory, let every = config.checkpointEvery, step % every == 0 {
        try saveCheckpoint(to: directory, modelConfig: modelConfig, extraGenerators: extraGenerators)
        onEvent(.checkpoint(step: step, directory: directory))
      }
    }
    onEvent(.finished(step: step))
  }

  public func saveCheckpoint(
    to directory: URL, modelConfig: some Encodable, extraGenerators: [String: RandomGenerator] = [:]
  ) throws {
    try Checkpoint.save(
      model: model, optimizer: optimizer, step: step, config: modelConfig, extraGenerators: extraGenerators,
      to: directory)
  }

  /// Restores model, optimizer, generators and the step counter from a checkpoint.
  @discardableResult
  public func resume(from directory: URL, extraGenerators: [String: RandomGenerator] = [:]) throws
    -> Checkpoint.Info
  {
    let info = try Checkpoint.load(
      into: model, optimizer: optimizer, extraGenerators: extraGenerators, from: directory)
    step = info.step
    return info
  }
}
