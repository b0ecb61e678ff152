import Testing

@testable import NN

/// Two replicas over two halves of a batch give the gradient of the mean of the halves' losses, the same as
/// one model back-propagating each half with seed 1/2 (dropout off, so both see the same function).
@Test func dataParallelGradientIsTheMeanOfTheShardGradients() {
  var full = TinyVLBERTConfig()
  (full.batch, full.layers, full.dropout) = (4, 1, 0)
  var half = full
  half.batch = 2
  let g = RandomGenerator(seed: 21)
  let batch = TinyVLBERTBatch.random(full, generator: g.split())
  let shards = (0..<2).map { batch.shard($0, of: 2, batch: 4, sequence: full.sequence) }
  let net = TinyVLBERT(half, generator: RandomGenerator(seed: 5))
  let parallel = DataParallel(net, replicas: 2) { _ in TinyVLBERT(half, generator: RandomGenerator(seed: 9)) }
  #expect(parallel.replicas[1].parameters.map(\.scalars) == net.parameters.map(\.scalars))
  let loss = Parallel.withThreads(2) { parallel.lossAndGradients { model, i in model.loss(shards[i]) } }
  let parallelGrads = net.parameters.map { $0.grad!.scalars }

  let reference = TinyVLBERT(half, generator: RandomGenerator(seed: 5))
  var expectedLoss: Float = 0
  for s in shards {
    let l = reference.loss(s)
    expectedLoss += l.item / 2
    l.backward(seed: 0.5)
  }
  #expect(abs(loss - expectedLoss) < 1e-5)
  for ((name, p), got) in zip(reference.namedParameters(), parallelGrads) {
    let want = p.grad!.scalars
    let scale = want.map(abs).max()! + 1e-6
    let worst = zip(got, want).map { abs($0 - $1) }.max()!
    #expect(worst <= 1e-5 * scale, "\(name): max difference \(worst) at scale \(scale)")
  }
  #expect(parallel.replicas[1].parameters.allSatisfy { $0.grad == nil }, "replica gradients are handed over")
}

/// Replicas read the model's values, so an optimizer step on the model is seen by every replica, and a
/// data-parallel run is bit-reproducible.
@Test func dataParallelTrainingSharesValuesAndRepeatsExactly() {
  var config = TinyVLBERTConfig()
  (config.batch, config.layers) = (4, 1)
  var half = config
  half.batch = 2
  func run() -> ([Float], [[Float]]) {
    let g = RandomGenerator(seed: 3)
    let batch = TinyVLBERTBatch.random(config, generator: g.split())
    let shards = (0..<2).map { batch.shard($0, of: 2, batch: 4, sequence: config.sequence) }
    let net = TinyVLBERT(half, generator: g.split())
    let parallel = DataParallel(net, replicas: 2) { _ in TinyVLBERT(half, generator: g.split()) }
    let opt = AdamW(parameters: net.parameters, learningRate: 1e-3)
    let losses = (0..<4).map { _ in
      opt.zeroGrad()
      let l = Parallel.withThreads(2) { parallel.lossAndGradients { m, i in m.loss(shards[i]) } }
      opt.step()
      return l
    }
    #expect(parallel.replicas[1].parameters.map(\.scalars) == net.parameters.map(\.scalars))
    return (losses, net.parameters.map(\.scalars))
  }
  let (a, weights) = run()
  let (b, again) = run()
  #expect(a == b && weights == again)
  #expect(a.last! < a.first!)
}
