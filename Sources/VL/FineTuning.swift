import Foundation
import NN
import World

/// Fine-tuning on one downstream task, then evaluation: the loop every task shares around its
/// `DownstreamTask` (which items, which loss, which metrics).
public struct FineTuning {
  public var task: FineTuneTask
  public var view: WorldView
  public var settings: VLSettings
  /// The task's own part.
  public let downstream: any DownstreamTask

  public init(task: FineTuneTask, view: WorldView, settings: VLSettings) {
    self.task = task
    self.view = view
    self.settings = settings
    downstream = task.on(view)
  }

  /// The training items fine-tuning uses (indices into the task's dataset): the first
  /// `settings.dataFraction` of them (at least one), or all of a larger world's.
  public var trainItems: [Int] {
    let all = downstream.trainingItems
    guard settings.dataFraction < 1 else { return all }
    return Array(all.prefix(max(1, Int((settings.dataFraction * Double(all.count)).rounded()))))
  }

  /// Number of training samples of the task, and samples per step.
  var trainCount: Int { trainItems.count }
  var perStep: Int { downstream.itemsPerStep(batchSize: settings.batchSize) }

  public var steps: Int {
    let epochs = (settings.finetuneEpochs[task] ?? 4) * settings.epochScale
    return max(2, Int((epochs * Double(trainCount) / Double(perStep)).rounded(.up)))
  }

  /// The optimizer the task trains with, and its peak learning rate.
  public var optimizer: OptimizerKind { downstream.optimizer(settings) }
  public var learningRate: Double { optimizer == .sgd ? settings.vcrLR : settings.finetuneLR }

  /// The optimizer's learning rate over `steps` updates, as the recipe schedules it.
  public func schedule(optimizer: OptimizerKind) -> Schedule {
    settings.recipe.schedule(
      task: task, optimizer: optimizer, peak: optimizer == .sgd ? settings.vcrLR : settings.finetuneLR,
      totalSteps: steps, stepsPerEpoch: max(1, trainCount / perStep))
  }

  public func train(
    model: VLModel, head: TaskHead, seed: Int, onPoint: (Curve.Point) throws -> Void = { _ in }
  ) rethrows -> Curve {
    let g = SeedStream(cell: seed).generator(.fineTuneData(task))
    let kind = optimizer
    let data = trainItems
    var order = g.permutation(data.count).map { data[$0] }
    var cursor = 0
    func next() -> Int {
      if cursor == order.count {
        order = g.permutation(data.count).map { data[$0] }
        cursor = 0
      }
      cursor += 1
      return order[cursor - 1]
    }
    return try model.train(
      extra: [head], tuneExtractor: true, steps: steps, schedule: schedule(optimizer: kind),
      optimizer: kind, weightDecay: settings.recipe.weightDecay, prefix: task.rawValue, onPoint: onPoint
    ) { _ in
      let loss = downstream.loss(model: model, head: head, items: (0..<perStep).map { _ in next() })
      return (loss, ["loss": Double(loss.item)])
    }
  }

  /// The task's metrics (percent) on every evaluation split (`TaskMetric`).
  public func evaluate(model: VLModel, head: TaskHead) -> [String: Double] {
    Autograd.inference { downstream.evaluate(model: model, head: head) }
  }

  /// The task's majority baselines (percent) on the validation split.
  public func majorityBaseline() -> [String: Double] { downstream.majorityBaseline() }
}
