import NN
import World

/// RefCOCO+: `[CLS] query [SEP] RoIs`; every RoI's output scores whether it is the referred object, on the
/// ground-truth regions or on the detector's (grounded at IoU >= 0.5).
public struct RefCOCOTask: DownstreamTask {
  public static let name = FineTuneTask.refcoco
  public let view: WorldView

  public init(view: WorldView) { self.view = view }

  public var trainingItems: [Int] {
    view.world.refcoco.indices.filter { view.world.refcoco[$0].split == .train }
  }
  public func itemsPerStep(batchSize: Int) -> Int { batchSize }
  public var headOutputs: Int { 1 }

  public func sequence(_ s: RefSample, regions: TaskMetric.Regions) -> VLSequence {
    VLSequence(
      a: view.tokens(s.expression), whole: view.whole(s.image),
      regions: regions == .det ? view.detected(s.image) : view.groundTruth(s.image), vocabulary: vocabulary)
  }

  /// Half the batch on ground-truth regions, half on detected ones; each RoI gets a binary label.
  public func loss(model: VLModel, head: TaskHead, items: [Int]) -> Tensor {
    var sequences: [VLSequence] = []
    var labels: [Float] = []
    var rows: [BatchPosition] = []
    for (k, s) in items.map({ view.world.refcoco[$0] }).enumerated() {
      let regions: TaskMetric.Regions = k % 2 == 1 ? .det : .gt
      let seq = sequence(s, regions: regions)
      for (r, region) in seq.regions.enumerated() {
        rows.append(BatchPosition(sequence: sequences.count, element: seq.regionElement(r)))
        let right = regions == .det ? VLMetrics.grounded(region.box, target: s.box) : r == s.target
        labels.append(right ? 1 : 0)
      }
      sequences.append(seq)
    }
    let batch = VLBatch(sequences, padID: vocabulary.padID)
    let encoded = model.encoder(batch, tuneExtractor: true)
    return head(encoded.hidden.gatherRows(rows.map { batch.flatIndex($0, in: sequences) }))
      .binaryCrossEntropy(
        targets: Tensor(labels, shape: [labels.count, 1]))
  }

  public var metricKeys: [String] {
    TaskMetric.refcocoSplits.flatMap { split in
      TaskMetric.Regions.allCases.map { TaskMetric.refcoco($0, split) }
    }
  }

  public func evaluate(model: VLModel, head: TaskHead) -> [String: Double] {
    var out: [String: Double] = [:]
    for split in TaskMetric.refcocoSplits {
      let samples = view.world.refcoco.filter { $0.split == split }
      for regions in TaskMetric.Regions.allCases {
        var correct = 0
        for chunk in samples.chunks(of: 64) {
          let sequences = chunk.map { sequence($0, regions: regions) }
          let batch = VLBatch(sequences, padID: vocabulary.padID)
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
        out[TaskMetric.refcoco(regions, split)] = 100 * Double(correct) / Double(max(samples.count, 1))
      }
    }
    return out
  }

  /// The most frequent target position among the ground-truth regions, scored on the validation expressions.
  public func majorityBaseline() -> [String: Double] {
    let t = mode(view.world.refcoco.filter { $0.split == .train }.map(\.target)) ?? 0
    let val = view.world.refcoco.filter { $0.split == .val }
    return [
      TaskMetric.baseline(of: TaskMetric.refcoco(.gt, .val)): 100
        * Double(val.filter { $0.target == t }.count)
        / Double(max(val.count, 1))
    ]
  }
}
