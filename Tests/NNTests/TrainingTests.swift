import Foundation
import TestSupport
import Testing

@testable import NN

/// A small encoder that reads a sequence and predicts, at each position, the token at the
/// mirrored position (sequence reversal): it has to learn position-based attention.
final class ReverseModel: Module {
  let tokens: Embedding
  let positions: Embedding
  let layers: [TransformerLayer]
  let head: Linear

  init(vocabulary: Int, length: Int, generator g: RandomGenerator) {
    let config = TransformerConfig(hidden: 32, heads: 4, intermediate: 64, dropout: 0.0)
    tokens = Embedding(vocabulary, 32, std: 0.5, generator: g)
    positions = Embedding(length, 32, std: 0.5, generator: g)
    layers = (0..<2).map { _ in TransformerLayer(config, generator: g) }
    head = Linear(32, vocabulary, generator: g)
  }

  func callAsFunction(_ ids: [Int], batch: Int, length: Int) -> Tensor {
    var x = tokens(ids, shape: [batch, length]) + positions(Array(0..<length), shape: [length])
    for layer in layers { x = layer(x) }
    return head(x.reshaped([-1, 32]))
  }
}

private func reverseBatch(_ g: RandomGenerator, batch: Int, length: Int, vocabulary: Int) -> ([Int], [Int]) {
  var ids: [Int] = []
  var labels: [Int] = []
  for _ in 0..<batch {
    let seq = (0..<length).map { _ in g.int(below: vocabulary) }
    ids += seq
    labels += seq.reversed()
  }
  return (ids, labels)
}

@Test func transformerLearnsToReverseSequences() throws {
  let (vocabulary, length, batch) = (10, 6, 32)
  let g = RandomGenerator(seed: 2024)
  let model = ReverseModel(vocabulary: vocabulary, length: length, generator: g.split())
  let data = g.split()
  let optimizer = AdamW(groups: model.parameterGroups(weightDecay: 0.01), learningRate: 3e-3)
  let trainer = TrainingLoop(
    model: model, optimizer: optimizer,
    config: TrainingConfig(
      steps: 600, schedule: .linearWarmupDecay(peak: 3e-3, warmupSteps: 30, totalSteps: 600)))
  var losses: [Float] = []
  trainer.run { _, _ in
    let (ids, labels) = reverseBatch(data, batch: batch, length: length, vocabulary: vocabulary)
    return model(ids, batch: batch, length: length).crossEntropy(labels: labels)
  } onStep: {
    losses.append($0.loss)
  }
  let test = RandomGenerator(seed: 99)
  let (ids, labels) = reverseBatch(test, batch: 200, length: length, vocabulary: vocabulary)
  let logits = Autograd.inference { model(ids, batch: 200, length: length) }.scalars
  var correct = 0
  for (row, label) in labels.enumerated() {
    let scores = logits[(row * vocabulary)..<((row + 1) * vocabulary)]
    if scores.indices.max(by: { scores[$0] < scores[$1] })! - row * vocabulary == label { correct += 1 }
  }
  let accuracy = Double(correct) / Double(labels.count)
  #expect(accuracy > 0.95, "reversal accuracy \(accuracy), losses \(losses.first!) -> \(losses.last!)")
}

/// A tiny model with dropout so that resuming must also restore the generators.
private func makeRun(seed: UInt64) -> (TransformerLayer, Linear, AdamW, RandomGenerator) {
  let g = RandomGenerator(seed: seed)
  let layer = TransformerLayer(
    TransformerConfig(hidden: 8, heads: 2, intermediate: 16, dropout: 0.2), generator: g)
  let head = Linear(8, 3, generator: g)
  let optimizer = AdamW(
    groups: [ParameterGroup(layer.parameters + head.parameters, weightDecay: 0.01)], learningRate: 1e-2)
  return (layer, head, optimizer, g.split())
}

final class Pair: Module {
  let layer: TransformerLayer
  let head: Linear
  init(_ layer: TransformerLayer, _ head: Linear) {
    self.layer = layer
    self.head = head
  }
}

private func trainSteps(_ trainer: TrainingLoop, _ pair: Pair, data: RandomGenerator, until: Int) throws
  -> [Float]
{
  var losses: [Float] = []
  while trainer.step < until {
    let update = trainer.trainStep { _, _ in
      let x = data.normal(shape: [2, 5, 8], std: 1)
      let labels = (0..<10).map { _ in data.int(below: 3) }
      return pair.head(pair.layer(x).reshaped([-1, 8])).crossEntropy(labels: labels)
    }
    losses.append(update.loss)
  }
  return losses
}

@Test(arguments: [1, 2])
func interruptedThenResumedTrainingMatchesUninterrupted(threads: Int) throws {
  try Parallel.withThreads(threads) { try resumeMatches() }
}

private func resumeMatches() throws {
  let config = TrainingConfig(
    steps: 12, schedule: .linearWarmupDecay(peak: 1e-2, warmupSteps: 3, totalSteps: 12), accumulation: 2)

  let (l1, h1, o1, d1) = makeRun(seed: 5)
  let p1 = Pair(l1, h1)
  let straight = try trainSteps(
    TrainingLoop(model: p1, optimizer: o1, config: config), p1, data: d1, until: 12)

  let dir = try TemporaryDirectory()
  let (l2, h2, o2, d2) = makeRun(seed: 5)
  let p2 = Pair(l2, h2)
  let t2 = TrainingLoop(model: p2, optimizer: o2, config: config)
  let first = try trainSteps(t2, p2, data: d2, until: 7)
  try t2.saveCheckpoint(to: dir.url, modelConfig: config, extraGenerators: ["data": d2])

  // A fresh process-like start: different initial weights and generator states, then resume.
  let (l3, h3, o3, d3) = makeRun(seed: 77)
  let p3 = Pair(l3, h3)
  let t3 = TrainingLoop(model: p3, optimizer: o3, config: config)
  let info = try t3.resume(from: dir.url, extraGenerators: ["data": d3])
  #expect(info.step == 7)
  #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(info.config.utf8)) == config)
  let rest = try trainSteps(t3, p3, data: d3, until: 12)
  #expect(first + rest == straight, "resumed losses differ from the uninterrupted run")
  #expect(p3.parameters.map(\.scalars) == p1.parameters.map(\.scalars))
}

@Test func checkpointRoundTripRestoresParametersAndNames() throws {
  let dir = try TemporaryDirectory()
  let (layer, head, optimizer, _) = makeRun(seed: 1)
  let pair = Pair(layer, head)
  try Checkpoint.save(model: pair, optimizer: optimizer, step: 3, config: ["hidden": 8], to: dir.url)
  let (tensors, metadata) = try SafeTensors.read(dir.url.appendingPathComponent(Checkpoint.modelFile))
  #expect(metadata["step"] == "3")
  #expect(metadata["config"] == #"{"hidden":8}"#)
  #expect(Set(tensors.keys) == Set(pair.namedParameters().map(\.0)))
  #expect(tensors["layer.attention.qkv.weight"]!.shape == [24, 8])
  let (other, _, otherOptimizer, _) = makeRun(seed: 2)
  let restored = Pair(other, Linear(8, 3, generator: RandomGenerator(seed: 3)))
  try Checkpoint.load(into: restored, optimizer: otherOptimizer, from: dir.url)
  #expect(restored.parameters.map(\.scalars) == pair.parameters.map(\.scalars))
  let wrong = Pair(other, Linear(8, 4, generator: RandomGenerator(seed: 3)))
  #expect(throws: StateMismatchError.self) { try Checkpoint.load(into: wrong, optimizer: nil, from: dir.url) }
}

@Test(arguments: [1, 2])
func sameSeedGivesBitIdenticalLossCurve(threads: Int) throws {
  var config = TinyVLBERTConfig()
  config.batch = 4
  config.layers = 1
  func curve() -> [Float] {
    let g = RandomGenerator(seed: 11)
    let net = TinyVLBERT(config, generator: g.split())
    let batch = TinyVLBERTBatch.random(config, generator: g.split())
    let opt = AdamW(parameters: net.parameters, learningRate: 1e-3)
    return (0..<4).map { _ in
      let loss = net.loss(batch)
      opt.zeroGrad()
      loss.backward()
      opt.step()
      return loss.item
    }
  }
  let a = Parallel.withThreads(threads) { curve() }
  #expect(a == Parallel.withThreads(threads) { curve() })
  #expect(a.last! < a.first!)
}

/// What every stage relies on: each update uses the schedule's rate at its 0-based index, reports the norm
/// before clipping, and moves the weights by the clipped gradient (plain SGD's first step: w -= rate * g).
@Test func eachUpdateUsesTheScheduledRateAndTheClippedGradient() throws {
  let w = Tensor([3, 4], shape: [2], requiresGrad: true)
  let schedule = Schedule.linearWarmupDecay(peak: 0.1, warmupSteps: 0, totalSteps: 4)
  let loop = TrainingLoop(
    model: Pair(
      TransformerLayer(
        TransformerConfig(hidden: 8, heads: 2, intermediate: 16), generator: RandomGenerator(seed: 1)),
      Linear(8, 3, generator: RandomGenerator(seed: 2))),
    optimizer: OptimizerKind.sgd.optimizer(groups: [ParameterGroup([w], weightDecay: 0)], learningRate: 99),
    config: TrainingConfig(steps: 4, schedule: schedule, clipNorm: 1))
  var updates: [TrainingStep] = []
  var before: [Float] = []
  // Loss w . (3, 4): gradient (3, 4), norm 5, clipped to (0.6, 0.8).
  loop.run { _, _ in
    before = w.scalars
    return (w * Tensor([3, 4], shape: [2])).sum()
  } onStep: { update in
    if updates.isEmpty {
      let rate = update.learningRate
      #expect(abs(w.scalars[0] - (before[0] - rate * 0.6)) < 1e-5)
      #expect(abs(w.scalars[1] - (before[1] - rate * 0.8)) < 1e-5)
    }
    updates.append(update)
  }
  #expect(updates.map(\.step) == [1, 2, 3, 4])
  #expect(updates.map(\.learningRate) == (0..<4).map { schedule.learningRate(at: $0) })
  #expect(updates.allSatisfy { abs($0.gradientNorm - 5) < 1e-4 && $0.loss.isFinite })
  #expect(loop.step == 4)
}
