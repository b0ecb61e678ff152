import Testing

@testable import NN

// Finite-difference checks of every layer with respect to its input and all its parameters
// (Float32, step 1e-2, atol 2e-3 + rtol 2e-2; the reasoning is in TensorTests/GradientTests).
// Dropout is 0 here; dropout's own gradient is checked in TensorTests.

private func input(_ shape: [Int], seed: UInt64) -> Tensor {
  let t = RandomGenerator(seed: seed).normal(shape: shape, std: 1)
  t.requiresGrad = true
  return t
}

private func expectLayerGradients(
  _ module: Module, inputs: [Tensor], sourceLocation: SourceLocation = #_sourceLocation,
  _ f: @escaping ([Tensor]) -> Tensor
) {
  let all = inputs + module.parameters
  let bad = GradientCheck.check(all, samples: 24) { f(Array($0.prefix(inputs.count))) }
  #expect(bad.isEmpty, "mismatches: \(bad.prefix(5))", sourceLocation: sourceLocation)
}

@Test func linearLayerNormEmbeddingGradients() {
  let g = RandomGenerator(seed: 1)
  let linear = Linear(5, 3, generator: g)
  expectLayerGradients(linear, inputs: [input([4, 5], seed: 2)]) { linear($0[0]) }
  let norm = LayerNorm(6)
  norm.weight.assign(g.normal(shape: [6], std: 1))
  expectLayerGradients(norm, inputs: [input([3, 6], seed: 3)]) { norm($0[0]) }
  let emb = Embedding(7, 4, std: 1, generator: g)
  expectLayerGradients(emb, inputs: []) { _ in emb([6, 0, 6, 2], shape: [2, 2]) }
}

@Test func attentionLayerGradients() {
  let g = RandomGenerator(seed: 4)
  let mask = Tensor([0, 0, 0, -1e4, 0, 0, 0, 0], shape: [2, 4])
  let selfAttention = MultiHeadSelfAttention(hidden: 8, heads: 2, generator: g)
  expectLayerGradients(selfAttention, inputs: [input([2, 4, 8], seed: 5)]) {
    selfAttention($0[0], keyMask: mask)
  }
  let cross = CrossAttention(hidden: 8, contextHidden: 6, heads: 2, generator: g)
  expectLayerGradients(cross, inputs: [input([2, 3, 8], seed: 6), input([2, 4, 6], seed: 7)]) {
    cross($0[0], context: $0[1], contextMask: mask)
  }
  let co = CoAttention(hiddenA: 8, hiddenB: 8, heads: 2, dropout: 0, generator: g)
  let maskA = Tensor(zeros: [2, 3])
  expectLayerGradients(co, inputs: [input([2, 3, 8], seed: 8), input([2, 4, 8], seed: 9)]) {
    let (a, b) = co($0[0], $0[1], maskA: maskA, maskB: mask)
    return Tensor.concatFirst([a.reshaped([-1, 8]), b.reshaped([-1, 8])])
  }
}

@Test func transformerBlockGradients() {
  let g = RandomGenerator(seed: 10)
  let ffn = FeedForward(hidden: 6, intermediate: 12, generator: g)
  expectLayerGradients(ffn, inputs: [input([5, 6], seed: 11)]) { ffn($0[0]) }
  let layer = TransformerLayer(
    TransformerConfig(hidden: 8, heads: 2, intermediate: 16, dropout: 0), generator: g)
  let mask = Tensor([0, 0, -1e4, 0, 0, 0], shape: [2, 3])
  expectLayerGradients(layer, inputs: [input([2, 3, 8], seed: 12)]) { layer($0[0], keyMask: mask) }
}

@Test func boxGeometryEmbeddingGradients() {
  let g = RandomGenerator(seed: 13)
  let box = BoxGeometryEmbedding(frequencies: 2, outputDim: 5, generator: g)
  let boxes = RandomGenerator(seed: 14).uniform(shape: [3, 4], low: 0, high: 1)
  boxes.requiresGrad = true
  // The features oscillate at up to 100 rad per unit: a step of 1e-4 keeps h^2 f''' small.
  let bad = GradientCheck.check([boxes] + box.parameters, step: 1e-4, atol: 2e-2, rtol: 2e-2) { box($0[0]) }
  #expect(bad.isEmpty, "mismatches: \(bad.prefix(5))")
  #expect(box(boxes).shape == [3, 5])
  #expect(BoxGeometryEmbedding(frequencies: 8).outputDim == 64)
}
