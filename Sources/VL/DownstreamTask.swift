import NN
import World

/// One downstream task in the paper's input format (Figure 2): the items it trains on, the loss of a batch
/// of them, its evaluation and its majority baseline. `FineTuning` runs the loop every task shares.
public protocol DownstreamTask {
  /// The task's name in settings, stage names and metric keys.
  static var name: FineTuneTask { get }
  var view: WorldView { get }
  init(view: WorldView)

  /// Indices of the task's training items in its dataset, in dataset order.
  var trainingItems: [Int] { get }
  /// Items one optimizer step trains on, for `train.batch_size`.
  func itemsPerStep(batchSize: Int) -> Int
  /// Outputs of the task head.
  var headOutputs: Int { get }
  /// How the task is optimized under `settings` (AdamW, unless the task has its own rule).
  func optimizer(_ settings: VLSettings) -> OptimizerKind

  /// The loss of training items `items` (one step's batch).
  func loss(model: VLModel, head: TaskHead, items: [Int]) -> Tensor
  /// The task's metrics (percent) on every evaluation split, named by `metricKeys`; run in inference mode.
  func evaluate(model: VLModel, head: TaskHead) -> [String: Double]
  /// The keys `evaluate` returns (`TaskMetric`).
  var metricKeys: [String] { get }
  /// Majority baselines (percent) on the validation split, named `TaskMetric.baseline(of:)`.
  func majorityBaseline() -> [String: Double]
}

extension DownstreamTask {
  public func optimizer(_ settings: VLSettings) -> OptimizerKind { .adamw }
  var vocabulary: Vocabulary { view.vocabulary }
}

extension FineTuneTask {
  /// The type that implements the task.
  public var type: any DownstreamTask.Type {
    switch self {
    case .vcr: VCRTask.self
    case .vqa: VQATask.self
    case .refcoco: RefCOCOTask.self
    }
  }

  /// The task on `view`'s world.
  public func on(_ view: WorldView) -> any DownstreamTask { type.init(view: view) }
}

/// The most frequent of `xs` (nil when empty): the majority baselines' pick. A tie goes to the value met first,
/// so the pick never follows the process's hash seed (it did: one world's RefCOCO+ baseline read 20.5 or 25).
func mode<T: Hashable>(_ xs: [T]) -> T? {
  let counts = Dictionary(xs.map { ($0, 1) }, uniquingKeysWith: +)
  guard let top = counts.values.max() else { return nil }
  return xs.first { counts[$0] == top }
}

extension Array {
  /// Consecutive slices of at most `size` elements (evaluation batches).
  func chunks(of size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}
