import Foundation

/// How a training run proceeds; `Codable` so that it is recorded with the run.
public struct TrainingConfig: Codable, Sendable, Equatable {
  public var steps: Int
  public var schedule: Schedule
  /// Micro-batches whose gradients are summed (each loss scaled by 1/accumulation) per update.
  public var accumulation: Int
  /// Clip the global gradient norm to this value before each update (nil: no clipping).
  public var clipNorm: Float?

  public init(steps: Int, schedule: Schedule, accumulation: Int = 1, clipNorm: Float? = 1) {
    self.steps = steps
    self.schedule = schedule
    self.accumulation = accumulation
    self.clipNorm = clipNorm
  }
}

/// The two optimizers the stages train with (named in stage identities by their raw values).
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
  case adamw, sgd

  /// A fresh optimizer of this kind over `groups` (SGD with momentum 0.9).
  public func optimizer(groups: [ParameterGroup], learningRate: Float) -> Optimizer {
    switch self {
    case .adamw: AdamW(groups: groups, learningRate: learningRate)
    case .sgd: SGD(groups: groups, learningRate: learningRate, momentum: 0.9)
    }
  }
}

/// What one update did: its index (1-based), mean micro-batch loss, rate used, pre-clip norm.
public struct TrainingStep: Sendable, Equatable {
  public var step: Int
  public var loss: Float
  public var learningRate: Float
  public var gradientNorm: Float
}

/// The training loop, the one every stage of every trainer runs: per update, zero the gradients, build the
/// loss of each micro-batch and back-propagate it, clip, set the scheduled rate, step. `model` is what a
/// checkpoint saves and `resume` restores, with the optimizer and the step counter.
public final class TrainingLoop {
  public let model: Module
  public let optimizer: Optimizer
  public let config: TrainingConfig
  /// Updates completed so far (restored by `resume`).
  public private(set) var step = 0

  public init(model: Module, optimizer: Optimizer, config: TrainingConfig) {
    precondition(config.accumulation >= 1, "TrainingLoop: accumulation must be >= 1")
    self.model = model
    self.optimizer = optimizer
    self.config = config
  }

  /// One update over `config.accumulation` micro-batches; `loss` builds the graph of micro-batch `micro` of
  /// update `step` (0-based).
  @discardableResult
  public func trainStep(_ loss: (_ step: Int, _ micro: Int) throws -> Tensor) rethrows -> TrainingStep {
    optimizer.zeroGrad()
    var total: Float = 0
    let scale = 1 / Float(config.accumulation)
    for micro in 0..<config.accumulation {
      let l = try loss(step, micro)
      total += l.item
      l.backward(seed: scale)
    }
    let parameters = optimizer.parameters
    let norm = clipGradientNorm(parameters, maxNorm: config.clipNorm ?? .infinity)
    let rate = config.schedule.learningRate(at: step)
    optimizer.learningRate = rate
    optimizer.step()
    step += 1
    return TrainingStep(step: step, loss: total * scale, learningRate: rate, gradientNorm: norm)
  }

  /// Trains until `config.steps` updates, handing each update to `onStep`.
  public func run(
    loss: (_ step: Int, _ micro: Int) throws -> Tensor, onStep: (TrainingStep) throws -> Void = { _ in }
  ) rethrows {
    while step < config.steps { try onStep(try trainStep(loss)) }
  }

  /// Saves model, optimizer state, step, `modelConfig` and the `extraGenerators` (e.g. the data order).
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
