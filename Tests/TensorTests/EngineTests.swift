import Foundation
import Testing

@testable import Tensor

@Test func forwardValuesMatchHandComputation() {
  let a = Tensor([1, 2, 3, 4], shape: [2, 2])
  let b = Tensor([5, 6, 7, 8], shape: [2, 2])
  #expect(a.matmul(b).scalars == [19, 22, 43, 50])
  #expect(a.matmul(b, transposeOther: true).scalars == [17, 23, 39, 53])
  let w = Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2])
  #expect(a.linear(weight: w, bias: Tensor([0, 0, 1], shape: [3])).scalars == [1, 2, 4, 3, 4, 8])
  let s = Tensor([0, 0, 0, 1000], shape: [2, 2]).softmax().scalars
  #expect(s[0] == 0.5 && s[1] == 0.5 && s[2] < 1e-30 && s[3] == 1)
  let g = Tensor([-3, 0, 1, 3], shape: [4]).gelu().scalars
  // erf GELU reference values (PyTorch F.gelu): -0.00404951, 0, 0.84134475, 2.99595049
  #expect(abs(g[0] + 0.004_049_51) < 1e-6 && g[1] == 0 && abs(g[2] - 0.841_344_75) < 1e-6)
  #expect(abs(g[3] - 2.995_950_5) < 1e-5)
  let ce = Tensor([0, 0, 0, 0], shape: [1, 4]).crossEntropy(labels: [2]).item
  #expect(abs(ce - 1.386_294_4) < 1e-6)
}

@Test func fastExpIsAccurate() {
  var worst: Float = 0
  for i in -8000...8000 {
    let x = Float(i) / 100
    worst = max(worst, abs(Kernels.exp(x) - Foundation.exp(x)) / Foundation.exp(x))
  }
  #expect(worst < 5e-7)
}

@Test func layerNormNormalizesRows() {
  let x = Tensor([1, 2, 3, 4, 10, 10, 10, 14], shape: [2, 4])
  let y = x.layerNorm(gamma: Tensor(repeating: 1, shape: [4]), beta: Tensor(zeros: [4]), epsilon: 0).scalars
  let mean = y[0..<4].reduce(0, +) / 4
  let variance = y[0..<4].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
  #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-5)
}

@Test func dropoutKeepsExpectationAndIsSeeded() {
  let x = Tensor(repeating: 1, shape: [10_000])
  let a = x.dropout(0.25, generator: RandomGenerator(seed: 3)).scalars
  let b = x.dropout(0.25, generator: RandomGenerator(seed: 3)).scalars
  #expect(a == b)
  let zeros = a.filter { $0 == 0 }.count
  #expect(zeros > 2300 && zeros < 2700)
  #expect(a.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-6 })
  let off = Autograd.inference { x.dropout(0.25, generator: RandomGenerator(seed: 3)) }
  #expect(off.scalars.allSatisfy { $0 == 1 })
}

@Test func splitStreamsAreIndependentAndReproducible() {
  let g = RandomGenerator(seed: 42)
  let child = g.split()
  let parentNext = g.next()
  let g2 = RandomGenerator(seed: 42)
  let child2 = g2.split()
  #expect(child.next() == child2.next())
  #expect(g2.next() == parentNext)
  #expect(RandomGenerator(seed: 1).permutation(10).sorted() == Array(0..<10))
}

@Test func attentionIgnoresMaskedKeys() {
  // With key 1 masked out, the output for every query is exactly value row 0.
  let qkv = RandomGenerator(seed: 1).normal(shape: [1, 2, 6], std: 1)
  let out = Tensor.selfAttention(qkv: qkv, heads: 1, keyMask: Tensor([0, -1e9], shape: [1, 2])).scalars
  let v0 = Array(qkv.scalars[4..<6])
  #expect(abs(out[0] - v0[0]) < 1e-6 && abs(out[1] - v0[1]) < 1e-6)
  #expect(abs(out[2] - v0[0]) < 1e-6 && abs(out[3] - v0[1]) < 1e-6)
}

@Test func gradientsAccumulateAcrossBackwardCalls() {
  let w = Tensor([2], shape: [1], requiresGrad: true)
  (w * w).sum().backward()
  (w * 3).sum().backward()
  #expect(w.grad!.scalars == [7])
  w.zeroGrad()
  #expect(w.grad!.scalars == [0])
}

@Test func warmStepAllocatesNoBuffers() {
  let g = RandomGenerator(seed: 9)
  // Odd sizes that no other (concurrently running) test uses, since the pool is shared.
  let w = g.normal(shape: [13, 11], std: 0.1)
  w.requiresGrad = true
  let x = g.normal(shape: [37, 11], std: 1)
  func step() {
    let loss = x.linear(weight: w, bias: nil).gelu().layerNorm(
      gamma: Tensor(repeating: 1, shape: [13]), beta: Tensor(zeros: [13])
    ).crossEntropy(labels: Array(repeating: 3, count: 37))
    loss.backward()
  }
  step()
  step()
  let sizes = [37 * 13, 37 * 2, 13 * 11]
  let before = sizes.map { BufferPool.shared.allocationCount(ofSize: $0) }
  #expect(before[0] > 0)
  for _ in 0..<3 { step() }
  #expect(sizes.map { BufferPool.shared.allocationCount(ofSize: $0) } == before)
}
