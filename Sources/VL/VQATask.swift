import NN
import World

/// VQA: `[CLS] Q [SEP] [MASK] [SEP] RoIs`; the answer is read at the `[MASK]` and scored against every answer
/// of the world (binary cross-entropy on the annotators' soft scores, as the paper).
public struct VQATask: DownstreamTask {
  public static let name = FineTuneTask.vqa
  public let view: WorldView

  public init(view: WorldView) { self.view = view }

  /// A question's input and the element its answer is read at.
  public struct Input {
    public var sequence: VLSequence
    /// The `[MASK]` element.
    public var answerElement: Int
  }

  public var trainingItems: [Int] { view.world.vqa.indices.filter { view.world.vqa[$0].split == .train } }
  public func itemsPerStep(batchSize: Int) -> Int { batchSize }
  public var headOutputs: Int { view.world.answers.count }

  public func input(_ s: VQASample) -> Input {
    let q = view.tokens(s.question)
    let sequence = VLSequence(
      a: q, b: [vocabulary.maskID], whole: view.whole(s.image), regions: view.detected(s.image),
      vocabulary: vocabulary)
    return Input(sequence: sequence, answerElement: q.count + 2)
  }

  /// The head's outputs at each input's `[MASK]`: `[inputs, answers]`.
  func answerLogits(model: VLModel, head: TaskHead, _ inputs: [Input], tuneExtractor: Bool) -> Tensor {
    let batch = VLBatch(inputs.map(\.sequence), padID: vocabulary.padID)
    let encoded = model.encoder(batch, tuneExtractor: tuneExtractor)
    let rows = inputs.enumerated().map {
      batch.flatIndex($0.offset, $0.element.answerElement, $0.element.sequence)
    }
    return head(encoded.hidden.gatherRows(rows))
  }

  public func loss(model: VLModel, head: TaskHead, items: [Int]) -> Tensor {
    let samples = items.map { view.world.vqa[$0] }
    let answers = view.world.answers
    let targets = samples.flatMap { s in answers.map { s.score($0) } }
    // Mean over answers times their number: BCE summed over answers, averaged over questions (the paper's).
    return answerLogits(model: model, head: head, samples.map(input), tuneExtractor: true).binaryCrossEntropy(
      targets: Tensor(targets, shape: [samples.count, answers.count])) * Float(answers.count)
  }

  public var metricKeys: [String] { TaskMetric.vqaSplits.map(TaskMetric.vqa) }

  public func evaluate(model: VLModel, head: TaskHead) -> [String: Double] {
    var out: [String: Double] = [:]
    let answers = view.world.answers
    for split in TaskMetric.vqaSplits {
      let samples = view.world.vqa.filter { $0.split == split }
      var total = 0.0
      for chunk in samples.chunks(of: 64) {
        let logits = answerLogits(model: model, head: head, chunk.map(input), tuneExtractor: false).scalars
        for (k, s) in chunk.enumerated() {
          let pick = VLMetrics.argmax(logits[(k * answers.count)..<((k + 1) * answers.count)])
          total += VLMetrics.vqaAccuracy(answers[pick], annotators: s.answers)
        }
      }
      out[TaskMetric.vqa(split)] = 100 * total / Double(max(samples.count, 1))
    }
    return out
  }

  /// The most frequent training answer, scored on the validation questions.
  public func majorityBaseline() -> [String: Double] {
    let best = mode(view.world.vqa.filter { $0.split == .train }.map(\.truth)) ?? ""
    let val = view.world.vqa.filter { $0.split == .val }
    return [
      TaskMetric.baseline(of: TaskMetric.vqa(.val)): 100
        * val.map { VLMetrics.vqaAccuracy(best, annotators: $0.answers) }.reduce(0, +)
        / Double(max(val.count, 1))
    ]
  }
}
