import Testing

@testable import Tensor

// Gradient checks in Float32 with central differences, step h = 1e-2.
// Why this step and tolerance: the truncation error of a central difference is h^2/6 * f''',
// about 2e-5 for the smooth ops here; the rounding error is eps * |L| / h with eps = 6e-8 and
// |L| <~ 30 (sums of <= a few hundred outputs with weights in [-1, 1]), about 2e-4. So
// atol 2e-3 + rtol 2e-2 has a ~10x margin yet catches any wrong term (errors of O(1) or O(|g|)).
// Non-smooth ops (ReLU, dropout masks) are probed away from their kinks.

func param(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
  let t = RandomGenerator(seed: seed).normal(shape: shape, std: scale)
  t.requiresGrad = true
  return t
}

func expectGradients(
  _ inputs: [Tensor], step: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 2e-2,
  _ f: @escaping ([Tensor]) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation
) {
  let bad = GradientCheck.check(inputs, step: step, atol: atol, rtol: rtol, f)
  #expect(bad.isEmpty, "gradient mismatches: \(bad.prefix(5))", sourceLocation: sourceLocation)
}

@Test func matmulGradients() {
  let a = param([2, 3, 4], seed: 1)
  let b = param([4, 5], seed: 2)
  let bt = param([5, 4], seed: 3)
  expectGradients([a, b]) { $0[0].matmul($0[1]) }
  expectGradients([a, bt]) { $0[0].matmul($0[1], transposeOther: true) }
}

@Test func linearGradients() {
  let x = param([6, 4], seed: 4)
  let w = param([3, 4], seed: 5)
  let b = param([3], seed: 6)
  expectGradients([x, w, b]) { $0[0].linear(weight: $0[1], bias: $0[2]) }
  expectGradients([x, w]) { $0[0].linear(weight: $0[1], bias: nil) }
}

@Test func broadcastingArithmeticGradients() {
  let a = param([3, 2, 4], seed: 7)
  let b = param([2, 4], seed: 8)
  let c = param([4], seed: 9)
  let d = param([3, 2, 4], seed: 10)
  expectGradients([a, b]) { $0[0] + $0[1] }
  expectGradients([a, c]) { $0[0] - $0[1] }
  expectGradients([a, b]) { $0[0] * $0[1] }
  expectGradients([a, d]) { $0[0] * $0[1] + $0[1] * 0.5 - 2 }
}

@Test func activationGradients() {
  // ReLU probed away from 0: shift values so none lies within 2h of the kink.
  let r = RandomGenerator(seed: 11).normal(shape: [40], std: 1)
  r.withUnsafeMutableBufferPointer { b in for i in b.indices where abs(b[i]) < 0.05 { b[i] += 0.1 } }
  r.requiresGrad = true
  expectGradients([r]) { $0[0].relu() }
  let x = param([40], seed: 12, scale: 2)
  expectGradients([x]) { $0[0].gelu() }
  expectGradients([x]) { $0[0].tanh() }
  expectGradients([x]) { $0[0].sigmoid() }
}

@Test func reductionGradients() {
  let x = param([3, 5], seed: 13)
  expectGradients([x]) { $0[0].sum() }
  expectGradients([x]) { $0[0].mean() }
  expectGradients([x]) { $0[0].meanLastDim() }
}

@Test func shapeOpGradients() {
  let x = param([4, 3], seed: 14)
  let y = param([4, 2], seed: 15)
  let z = param([2, 3], seed: 16)
  expectGradients([x]) { $0[0].reshaped([2, -1]) * $0[0].reshaped([2, 6]) }
  expectGradients([x]) { $0[0].gatherRows([3, 0, 0, 2]) }
  expectGradients([x, y]) { Tensor.concatLast([$0[0], $0[1]]) }
  expectGradients([x, z]) { Tensor.concatFirst([$0[0], $0[1]]) }
  expectGradients([x]) { $0[0].sliceLast(1..<3) }
  expectGradients([x]) { $0[0].sliceFirst(1..<3) }
}

@Test func embeddingGradients() {
  let table = param([5, 3], seed: 17)
  expectGradients([table]) { $0[0].embedding([1, 4, 1, 0], shape: [2, 2]) }
  let boxes = RandomGenerator(seed: 18).uniform(shape: [3, 4], low: 0, high: 1)
  boxes.requiresGrad = true
  // sin(100 x) has third derivative ~1e6: a smaller step keeps truncation error at ~2e-2 * |g|.
  expectGradients([boxes], step: 1e-4, atol: 2e-2, rtol: 2e-2) {
    $0[0].sinusoidal(frequencies: 3)
  }
}

@Test func layerNormGradients() {
  let x = param([4, 6], seed: 19)
  let g = param([6], seed: 20)
  let b = param([6], seed: 21)
  expectGradients([x, g, b]) { $0[0].layerNorm(gamma: $0[1], beta: $0[2]) }
}

@Test func softmaxGradients() {
  let x = param([2, 3, 5], seed: 22)
  let mask = Tensor([0, 0, -1e4, 0, 0, 0, -1e4, 0, 0, 0, 0, 0, 0, 0, -1e4], shape: [3, 5])
  expectGradients([x]) { $0[0].softmax() }
  expectGradients([x]) { $0[0].softmax(mask: mask) }
}

@Test func lossGradients() {
  let logits = param([4, 5], seed: 23)
  expectGradients([logits]) { $0[0].crossEntropy(labels: [1, -1, 4, 0]) }
  let p = RandomGenerator(seed: 24).uniform(shape: [4, 5], low: 0, high: 1)
  let soft = p.softmax()
  expectGradients([logits]) { $0[0].softCrossEntropy(targets: soft) }
  expectGradients([logits]) { $0[0].klDivergence(targets: soft) }
  expectGradients([logits]) { $0[0].binaryCrossEntropy(targets: p) }
}

@Test func dropoutGradientsUseTheSameMask() {
  let x = param([50], seed: 25)
  // A fresh generator per call replays the same mask, as the finite-difference evaluations need.
  expectGradients([x]) { $0[0].dropout(0.3, generator: RandomGenerator(seed: 99)) }
}

@Test(arguments: [1, 2])
func attentionGradients(workers: Int) {
  Parallel.withThreads(workers) { checkAttentionGradients() }
}

func checkAttentionGradients() {
  let qkv = param([2, 5, 12], seed: 26)
  let mask = Tensor([0, 0, 0, -1e4, 0, 0, 0, 0, 0, 0], shape: [2, 5])
  expectGradients([qkv]) { Tensor.selfAttention(qkv: $0[0], heads: 2, keyMask: mask) }
  expectGradients([qkv]) {
    Tensor.selfAttention(qkv: $0[0], heads: 2, dropout: 0.2, generator: RandomGenerator(seed: 5))
  }
  let q = param([2, 3, 4], seed: 27)
  let kv = param([2, 5, 8], seed: 28)
  expectGradients([q, kv]) { Tensor.crossAttention(query: $0[0], keyValue: $0[1], heads: 2, keyMask: mask) }
  let k = param([2, 5, 4], seed: 29)
  let v = param([2, 5, 4], seed: 30)
  expectGradients([q, k, v]) { Tensor.attention(query: $0[0], key: $0[1], value: $0[2], heads: 1) }
}

/// A tensor that feeds several ops gets its gradient from each: the first backward pass that reaches it
/// writes a fresh buffer, the later ones add to it. Each op here meets both cases.
@Test func gradientsAccumulateWhenATensorFeedsSeveralOps() {
  let x = param([2, 5, 4], seed: 31)
  let g = param([4], seed: 32)
  let b = param([4], seed: 33)
  expectGradients([x]) { $0[0].gelu() * $0[0] }
  expectGradients([x]) { $0[0] * $0[0].gelu() }
  expectGradients([x]) { $0[0].dropout(0.3, generator: RandomGenerator(seed: 7)) + $0[0] * 0.5 }
  expectGradients([x, g, b]) { $0[0].layerNorm(gamma: $0[1], beta: $0[2]) * $0[0] }
  expectGradients([x]) { $0[0].reshaped([10, 4]).reshaped([2, 5, 4]) * $0[0] }
  expectGradients([x]) { $0[0] + $0[0] }
  expectGradients([x]) { ($0[0] - $0[0] * 2) * $0[0] }
  // Attention whose query, key and value are one tensor (every block written three times), or two.
  expectGradients([x]) { Tensor.attention(query: $0[0], key: $0[0], value: $0[0], heads: 2) }
  let y = param([2, 5, 4], seed: 34)
  expectGradients([x, y]) { Tensor.attention(query: $0[0], key: $0[1], value: $0[0], heads: 2) }
  expectGradients([x, y]) { Tensor.attention(query: $0[0], key: $0[1], value: $0[1], heads: 1) * $0[0] }
  let qkv = param([2, 5, 12], seed: 35)
  expectGradients([qkv]) { Tensor.selfAttention(qkv: $0[0], heads: 2) + $0[0].sliceLast(4..<8) }
}
