import NN
import World

/// VCR: Q->A as `[CLS] Q [SEP] A_i [SEP] RoIs` and QA->R as `[CLS] Q A [SEP] R_i [SEP] RoIs`, four candidates
/// each, scored from the pooled output; with the paper's auxiliary RoI classification loss.
public struct VCRTask: DownstreamTask {
  public static let name = FineTuneTask.vcr
  public let view: WorldView

  public init(view: WorldView) { self.view = view }

  /// Candidates per question (answers, and rationales).
  static let choices = 4

  public var trainingItems: [Int] { view.world.vcr.indices.filter { view.world.vcr[$0].split == .train } }
  /// Each item is eight sequences (four answers, four rationales), so a step takes a quarter of the batch.
  public func itemsPerStep(batchSize: Int) -> Int { max(2, batchSize / 4) }
  public var headOutputs: Int { 1 }
  /// SGD, as the paper, unless `train.vcr_optimizer: adamw`.
  public func optimizer(_ settings: VLSettings) -> OptimizerKind {
    settings.vcrOptimizer == "sgd" ? .sgd : .adamw
  }

  /// One sequence per candidate answer (or, with `rationale`, per candidate rationale after the right answer).
  public func sequences(_ s: VCRSample, rationale: Bool) -> [VLSequence] {
    let q = view.tokens(s.question)
    let a = rationale ? q + view.tokens(s.answers[s.answerLabel]) : q
    let candidates = rationale ? s.rationales : s.answers
    let whole = view.whole(s.image)
    let regions = view.detected(s.image)
    return candidates.map {
      VLSequence(a: a, b: view.tokens($0), whole: whole, regions: regions, vocabulary: vocabulary)
    }
  }

  /// Every answer sequence of `samples`, then every rationale sequence.
  func sequences(_ samples: some Collection<VCRSample>) -> [VLSequence] {
    samples.flatMap { sequences($0, rationale: false) } + samples.flatMap { sequences($0, rationale: true) }
  }

  public func loss(model: VLModel, head: TaskHead, items: [Int]) -> Tensor {
    let samples = items.map { view.world.vcr[$0] }
    let sequences = sequences(samples)
    let batch = VLBatch(sequences, padID: vocabulary.padID)
    let encoded = model.encoder(batch, tuneExtractor: true)
    let scores = head(encoded.pooled).reshaped([-1, Self.choices])
    let labels = samples.map(\.answerLabel) + samples.map(\.rationaleLabel)
    let choice = scores.crossEntropy(labels: labels)
    // RoI classification auxiliary loss: every RoI's output predicts the detector's class scores.
    var rows: [Int] = []
    var targets: [Float] = []
    for (b, s) in sequences.enumerated() {
      let scores = view.detectedScores(samples[(b / Self.choices) % samples.count].image)
      for r in s.regions.indices {
        rows.append(batch.flatIndex(b, s.regionElement(r), s))
        targets += scores[r]
      }
    }
    guard !rows.isEmpty else { return choice }
    let aux = model.mrc(encoded.hidden.gatherRows(rows)).softCrossEntropy(
      targets: Tensor(targets, shape: [rows.count, Detector.classes]))
    return choice + aux
  }

  public var metricKeys: [String] {
    TaskMetric.vcrSplits.flatMap { split in TaskMetric.VCRMeasure.allCases.map { TaskMetric.vcr($0, split) } }
  }

  public func evaluate(model: VLModel, head: TaskHead) -> [String: Double] {
    var out: [String: Double] = [:]
    let n = Self.choices
    for split in TaskMetric.vcrSplits {
      var qa: [Bool] = []
      var qar: [Bool] = []
      for chunk in view.world.vcr.filter({ $0.split == split }).chunks(of: 8) {
        let batch = VLBatch(sequences(chunk), padID: vocabulary.padID)
        let scores = head(model.encoder(batch, tuneExtractor: false).pooled).scalars
        for (k, s) in chunk.enumerated() {
          qa.append(VLMetrics.argmax(scores[(n * k)..<(n * k + n)]) == s.answerLabel)
          let r = n * (chunk.count + k)
          qar.append(VLMetrics.argmax(scores[r..<(r + n)]) == s.rationaleLabel)
        }
      }
      let m = VLMetrics.vcrAccuracies(qa: qa, qar: qar)
      out[TaskMetric.vcr(.q2a, split)] = m.qa
      out[TaskMetric.vcr(.qa2r, split)] = m.qar
      out[TaskMetric.vcr(.q2ar, split)] = m.joint
    }
    return out
  }

  /// The most frequent training answer label and rationale label, scored on the validation questions.
  public func majorityBaseline() -> [String: Double] {
    let train = view.world.vcr.filter { $0.split == .train }
    let (a, r) = (mode(train.map(\.answerLabel)) ?? 0, mode(train.map(\.rationaleLabel)) ?? 0)
    let val = view.world.vcr.filter { $0.split == .val }
    let m = VLMetrics.vcrAccuracies(
      qa: val.map { $0.answerLabel == a }, qar: val.map { $0.rationaleLabel == r })
    return [
      TaskMetric.baseline(of: TaskMetric.vcr(.q2a, .val)): m.qa,
      TaskMetric.baseline(of: TaskMetric.vcr(.qa2r, .val)): m.qar,
      TaskMetric.baseline(of: TaskMetric.vcr(.q2ar, .val)): m.joint,
    ]
  }
}
