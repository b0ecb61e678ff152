import Foundation
import NN
import Testing
import World

@testable import VL

/// Central differences on whole models: every parameter tensor's two largest gradient entries, for every
/// task's loss and the pre-training loss. The engine checks each op alone; this catches what only appears when
/// they are composed (a buffer freed before the backward pass reads it, a row gathered from the wrong place).
/// Float32, step 1e-2, tolerance 3e-3 + 5%: rounding of a loss of ~30 summed in Float is ~1e-3 / h.
@Suite(.serialized) struct LossGradientTests {
  static let view = SmokeWorld.view

  func model(_ arch: Architecture) throws -> (VLModel, VLSettings) {
    var settings = VLSettings()
    settings.scale = .smoke
    settings.arch = arch
    settings.dropout = 0
    settings.earlyFusion = arch != .visualbert
    let model = VLModel(
      settings: settings, vocabulary: Self.view.vocabulary, detector: Self.view.world.detector?.network,
      generator: RandomGenerator(seed: 5))
    // Let the whole-image features through (their scale starts at 0, which would hide their gradients).
    let embedding: VisualFeatureEmbedding =
      (model.encoder as? SingleStreamEncoder)?.visualEmbedding
      ?? (model.encoder as! TwoStreamEncoder).visualEmbedding
    embedding.textNorm.weight.assign([Float](repeating: 0.5, count: embedding.textNorm.weight.count))
    return (model, settings)
  }

  func mismatches(_ parameters: [(String, Tensor)], _ loss: () -> Tensor) -> [String] {
    for (_, p) in parameters { p.releaseGrad() }
    loss().backward()
    var bad: [String] = []
    for (name, p) in parameters {
      guard let grad = p.grad?.scalars else { continue }
      for i in grad.indices.sorted(by: { abs(grad[$0]) > abs(grad[$1]) }).prefix(2) {
        var values = p.scalars
        let old = values[i]
        func value(_ x: Float) -> Double {
          values[i] = x
          p.assign(values)
          return Double(Autograd.withoutGrad { loss().item })
        }
        let numeric = (value(old + 1e-2) - value(old - 1e-2)) / 2e-2
        _ = value(old)
        let analytic = Double(grad[i])
        if abs(numeric - analytic) > 3e-3 + 0.05 * max(abs(numeric), abs(analytic)) {
          bad.append("\(name)[\(i)]: analytic \(analytic), numeric \(numeric)")
        }
      }
    }
    return bad
  }

  @Test(arguments: [FineTuneTask.vqa, .vcr, .refcoco])
  func fineTuningLossGradients(task: FineTuneTask) throws {
    let (model, settings) = try model(.vlbert)
    let fine = FineTuning(task: task, view: Self.view, settings: settings)
    let head = TaskHead(
      hidden: settings.size.hidden, outputs: fine.downstream.headOutputs, generator: RandomGenerator(seed: 9))
    let items = Array(fine.downstream.trainingItems.prefix(task == .vcr ? 2 : 6))
    let parameters = model.namedParameters() + head.namedParameters().map { ("head." + $0.0, $0.1) }
    let bad = mismatches(parameters) { fine.downstream.loss(model: model, head: head, items: items) }
    #expect(bad.isEmpty, "\(bad.prefix(4))")
  }

  @Test(arguments: [Architecture.vlbert, .visualbert, .vilbert])
  func pretrainingLossGradients(arch: Architecture) throws {
    let (model, _) = try model(arch)
    var factors = PretrainFactors()
    factors.sentenceImageRelation = true
    factors.regionNaming = true
    let task = Pretraining(factors: factors, view: Self.view, batchSize: 6)
    let sample = task.sample(generator: RandomGenerator(seed: 4))
    let bad = mismatches(model.namedParameters()) { task.loss(model, sample, tuneExtractor: true).0 }
    #expect(bad.isEmpty, "\(bad.prefix(4))")
  }
}
