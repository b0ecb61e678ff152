import Foundation
import NN
import World

/// Fine-tuning on one downstream task in the paper's input format (Figure 2), then evaluation.
public struct FineTuning {
  public var task: FineTuneTask
  public var view: WorldView
  public var settings: VLSettings

  public init(task: FineTuneTask, view: WorldView, settings: VLSettings) {
    self.task = task
    self.view = view
    self.settings = settings
  }

  var v: Vocabulary { view.vocabulary }

  /// The training items fine-tuning uses (indices into the task's dataset): the first
  /// `settings.dataFraction` of them (at least one), or all of a larger world's.
  public var trainItems: [Int] {
    let all: [Int]
    switch task {
    case .vqa: all = view.world.vqa.indices.filter { view.world.vqa[$0].split == .train }
    case .vcr: all = view.world.vcr.indices.filter { view.world.vcr[$0].split == .train }
    case .refcoco: all = view.world.refcoco.indices.filter { view.world.refcoco[$0].split == .train }
    }
    guard settings.dataFraction < 1 else { return all }
    return Array(all.prefix(max(1, Int((settings.dataFraction * Double(all.count)).rounded()))))
  }

  /// Number of training samples of the task, and samples per step.
  var trainCount: Int { trainItems.count }
  var perStep: Int { task == .vcr ? max(2, settings.batchSize / 4) : settings.batchSize }

  public var steps: Int {
    let epochs = (settings.finetuneEpochs[task] ?? 4) * settings.epochScale
    return max(2, Int((epochs * Double(trainCount) / Double(perStep)).rounded(.up)))
  }

  /// The optimizer's learning rate over `steps` updates, as the recipe schedules it.
  public func schedule(optimizer: TrainingLoop.OptimizerKind) -> Schedule {
    settings.recipe.schedule(
      task: task, optimizer: optimizer, peak: optimizer == .sgd ? settings.vcrLR : settings.finetuneLR,
      totalSteps: steps, stepsPerEpoch: max(1, trainCount / perStep))
  }

  // MARK: Inputs

  /// VQA: `[CLS] Q [SEP] [MASK] [SEP] RoIs`; the answer is read at the `[MASK]`.
  public func vqaSequence(_ s: VQASample) -> (VLSequence, Int) {
    let q = view.tokens(s.question)
    let seq = VLSequence(
      a: q, b: [v.maskID], whole: view.whole(s.image), regions: view.detected(s.image), vocabulary: v)
    return (seq, q.count + 2)
  }

  /// VCR Q->A: `[CLS] Q [SEP] A_i [SEP] RoIs`; QA->R: `[CLS] Q A [SEP] R_i [SEP] RoIs`.
  public func vcrSequences(_ s: VCRSample, rationale: Bool) -> [VLSequence] {
    let q = view.tokens(s.question)
    let a = rationale ? q + view.tokens(s.answers[s.answerLabel]) : q
    let candidates = rationale ? s.rationales : s.answers
    let whole = view.whole(s.image)
    let regions = view.detected(s.image)
    return candidates.map {
      VLSequence(a: a, b: view.tokens($0), whole: whole, regions: regions, vocabulary: v)
    }
  }

  /// RefCOCO+: `[CLS] query [SEP] RoIs`, on ground-truth or detected regions.
  public func refSequence(_ s: RefSample, detected: Bool) -> VLSequence {
    VLSequence(
      a: view.tokens(s.expression), whole: view.whole(s.image),
      regions: detected ? view.detected(s.image) : view.groundTruth(s.image), vocabulary: v)
  }

  // MARK: Training

  public func train(model: VLModel, head: TaskHead, seed: Int) -> Curve {
    let g = RandomGenerator(
      seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(FineTuneTask.allCases.firstIndex(of: task)!) &+ 17
    )
    let total = steps
    let kind: TrainingLoop.OptimizerKind = task == .vcr && settings.vcrOptimizer == "sgd" ? .sgd : .adamw
    let schedule = self.schedule(optimizer: kind)
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
    return TrainingLoop.run(
      model: model, extra: [head], tuneExtractor: true, steps: total, schedule: schedule, optimizer: kind,
      weightDecay: settings.recipe.weightDecay, prefix: task.rawValue
    ) { _ in
      let items = (0..<perStep).map { _ in next() }
      let loss = self.loss(model: model, head: head, items: items, generator: g)
      return (loss, ["loss": Double(loss.item)])
    }
  }

  func loss(model: VLModel, head: TaskHead, items: [Int], generator g: RandomGenerator) -> Tensor {
    switch task {
    case .vqa:
      let samples = items.map { view.world.vqa[$0] }
      let built = samples.map(vqaSequence)
      let batch = VLBatch(built.map(\.0), padID: v.padID)
      let encoded = model.encoder(batch, tuneExtractor: true)
      let rows = encoded.hidden.gatherRows(
        built.enumerated().map { batch.flatIndex($0.offset, $0.element.1, $0.element.0) })
      let answers = view.world.answers
      let targets = samples.flatMap { s in answers.map { s.score($0) } }
      // Mean over answers times their number: BCE summed over answers, averaged over questions (the paper's).
      return head(rows).binaryCrossEntropy(targets: Tensor(targets, shape: [samples.count, answers.count]))
        * Float(answers.count)
    case .vcr:
      let samples = items.map { view.world.vcr[$0] }
      let sequences =
        samples.flatMap { vcrSequences($0, rationale: false) }
        + samples.flatMap { vcrSequences($0, rationale: true) }
      let batch = VLBatch(sequences, padID: v.padID)
      let encoded = model.encoder(batch, tuneExtractor: true)
      let scores = head(encoded.pooled).reshaped([-1, 4])
      let labels = samples.map(\.answerLabel) + samples.map(\.rationaleLabel)
      let choice = scores.crossEntropy(labels: labels)
      // RoI classification auxiliary loss: every RoI's output predicts the detector's class scores.
      var rows: [Int] = []
      var targets: [Float] = []
      for (b, s) in sequences.enumerated() {
        let scores = view.detectedScores(samples[(b / 4) % samples.count].image)
        for r in s.regions.indices {
          rows.append(batch.flatIndex(b, s.regionElement(r), s))
          targets += scores[r]
        }
      }
      guard !rows.isEmpty else { return choice }
      let aux = model.mrc(encoded.hidden.gatherRows(rows)).softCrossEntropy(
        targets: Tensor(targets, shape: [rows.count, Detector.classes]))
      return choice + aux
    case .refcoco:
      let samples = items.map { view.world.refcoco[$0] }
      // Half the batch on ground-truth regions, half on detected ones; each RoI gets a binary label.
      var sequences: [VLSequence] = []
      var labels: [Float] = []
      var rows: [(Int, Int)] = []
      for (k, s) in samples.enumerated() {
        let detected = k % 2 == 1
        let seq = refSequence(s, detected: detected)
        for (r, region) in seq.regions.enumerated() {
          rows.append((sequences.count, r))
          labels.append(
            detected ? (VLMetrics.grounded(region.box, target: s.box) ? 1 : 0) : (r == s.target ? 1 : 0))
        }
        sequences.append(seq)
      }
      let batch = VLBatch(sequences, padID: v.padID)
      let encoded = model.encoder(batch, tuneExtractor: true)
      let flat = rows.map { batch.flatIndex($0.0, sequences[$0.0].regionElement($0.1), sequences[$0.0]) }
      return head(encoded.hidden.gatherRows(flat)).binaryCrossEntropy(
        targets: Tensor(labels, shape: [labels.count, 1]))
    }
  }

  // MARK: Evaluation

  /// The task's metrics (percent) on every evaluation split, named as the reports read them.
  public func evaluate(model: VLModel, head: TaskHead) -> [String: Double] {
    Autograd.inference {
      var out: [String: Double] = [:]
      switch task {
      case .vqa:
        for split in [Split.val, .test] {
          let samples = view.world.vqa.filter { $0.split == split }
          var total = 0.0
          for chunk in stride(from: 0, to: samples.count, by: 64).map({
            samples[$0..<min($0 + 64, samples.count)]
          }) {
            let built = chunk.map(vqaSequence)
            let batch = VLBatch(built.map(\.0), padID: v.padID)
            let encoded = model.encoder(batch, tuneExtractor: false)
            let rows = encoded.hidden.gatherRows(
              built.enumerated().map { batch.flatIndex($0.offset, $0.element.1, $0.element.0) })
            let logits = head(rows).scalars
            let a = view.world.answers.count
            for (k, s) in chunk.enumerated() {
              let pick = VLMetrics.argmax(logits[(k * a)..<((k + 1) * a)])
              total += VLMetrics.vqaAccuracy(view.world.answers[pick], annotators: s.answers)
            }
          }
          out["vqa/\(split.rawValue)"] = 100 * total / Double(max(samples.count, 1))
        }
      case .vcr:
        for split in [Split.val, .test] {
          let samples = view.world.vcr.filter { $0.split == split }
          var qa: [Bool] = []
          var qar: [Bool] = []
          for chunk in stride(from: 0, to: samples.count, by: 8).map({
            samples[$0..<min($0 + 8, samples.count)]
          }) {
            let sequences =
              chunk.flatMap { vcrSequences($0, rationale: false) }
              + chunk.flatMap { vcrSequences($0, rationale: true) }
            let batch = VLBatch(sequences, padID: v.padID)
            let scores = head(model.encoder(batch, tuneExtractor: false).pooled).scalars
            for (k, s) in chunk.enumerated() {
              qa.append(VLMetrics.argmax(scores[(4 * k)..<(4 * k + 4)]) == s.answerLabel)
              let r = 4 * (chunk.count + k)
              qar.append(VLMetrics.argmax(scores[r..<(r + 4)]) == s.rationaleLabel)
            }
          }
          let m = VLMetrics.vcrAccuracies(qa: qa, qar: qar)
          out["vcr/q2a_\(split.rawValue)"] = m.qa
          out["vcr/qa2r_\(split.rawValue)"] = m.qar
          out["vcr/q2ar_\(split.rawValue)"] = m.joint
        }
      case .refcoco:
        for split in [Split.val, .testA, .testB] {
          let samples = view.world.refcoco.filter { $0.split == split }
          for detected in [false, true] {
            var correct = 0
            for chunk in stride(from: 0, to: samples.count, by: 64).map({
              samples[$0..<min($0 + 64, samples.count)]
            }) {
              let sequences = chunk.map { refSequence($0, detected: detected) }
              let batch = VLBatch(sequences, padID: v.padID)
              let encoded = model.encoder(batch, tuneExtractor: false)
              for (k, s) in chunk.enumerated() {
                let seq = sequences[k]
                guard !seq.regions.isEmpty else { continue }
                let rows = seq.regions.indices.map { batch.flatIndex(k, seq.regionElement($0), seq) }
                let scores = head(encoded.hidden.gatherRows(rows)).scalars
                let pick = VLMetrics.argmax(scores[...])
                if VLMetrics.grounded(seq.regions[pick].box, target: s.box) { correct += 1 }
              }
            }
            out["refcoco/\(detected ? "det" : "gt")_\(split.rawValue)"] =
              100 * Double(correct) / Double(max(samples.count, 1))
          }
        }
      }
      return out
    }
  }

  /// Majority baselines (percent) on the validation split: the most frequent training answer (VQA), the most
  /// frequent training labels (VCR), the most frequent target position among the ground-truth regions (RefCOCO+).
  public func majorityBaseline() -> [String: Double] {
    func mode<T: Hashable>(_ xs: [T]) -> T? {
      Dictionary(xs.map { ($0, 1) }, uniquingKeysWith: +).max { $0.value < $1.value }?.key
    }
    switch task {
    case .vqa:
      let best = mode(view.world.vqa.filter { $0.split == .train }.map(\.truth)) ?? ""
      let val = view.world.vqa.filter { $0.split == .val }
      return [
        "baseline/vqa_val": 100 * val.map { VLMetrics.vqaAccuracy(best, annotators: $0.answers) }.reduce(0, +)
          / Double(max(val.count, 1))
      ]
    case .vcr:
      let train = view.world.vcr.filter { $0.split == .train }
      let (a, r) = (mode(train.map(\.answerLabel)) ?? 0, mode(train.map(\.rationaleLabel)) ?? 0)
      let val = view.world.vcr.filter { $0.split == .val }
      let m = VLMetrics.vcrAccuracies(
        qa: val.map { $0.answerLabel == a }, qar: val.map { $0.rationaleLabel == r })
      return ["baseline/vcr_q2a_val": m.qa, "baseline/vcr_qa2r_val": m.qar, "baseline/vcr_q2ar_val": m.joint]
    case .refcoco:
      let t = mode(view.world.refcoco.filter { $0.split == .train }.map(\.target)) ?? 0
      let val = view.world.refcoco.filter { $0.split == .val }
      return [
        "baseline/refcoco_gt_val": 100 * Double(val.filter { $0.target == t }.count)
          / Double(max(val.count, 1))
      ]
    }
  }
}
