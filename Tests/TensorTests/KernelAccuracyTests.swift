import Foundation
import Primitives
import Testing

@testable import Tensor

/// The C kernels (`CKernels`, AVX2+FMA where the CPU has it) against the same functions in Double:
/// GELU within 5e-7 (erf by A&S 7.1.26 is good to 1.5e-7), softmax and layer norm within 1e-6 relative.
@Test func geluMatchesErfFormInDouble() {
  let xs = (0..<4001).map { Float(-10 + 20 * Double($0) / 4000) }
  let x = Tensor(xs, shape: [xs.count], requiresGrad: true)
  let y = x.gelu()
  y.sum().backward()
  for (i, v) in xs.enumerated() {
    let d = Double(v)
    let exact = 0.5 * d * (1 + erf(d / 2.0.squareRoot()))
    let slope =
      0.5 * (1 + erf(d / 2.0.squareRoot())) + d * Foundation.exp(-d * d / 2) / (2 * Double.pi).squareRoot()
    #expect(abs(Double(y.scalars[i]) - exact) < 5e-7, "gelu(\(v))")
    #expect(abs(Double(x.grad!.scalars[i]) - slope) < 5e-7, "gelu'(\(v))")
  }
}

@Test func softmaxAndLayerNormMatchDouble() {
  let g = RandomGenerator(seed: 3)
  // Row lengths that are not multiples of the vector width exercise the loops' tails.
  for width in [1, 7, 48, 131] {
    let x = g.normal(shape: [5, width], std: 3)
    let p = x.softmax().scalars
    let n = x.layerNorm(
      gamma: Tensor([Float](repeating: 1, count: width), shape: [width]), beta: Tensor(zeros: [width])
    ).scalars
    for r in 0..<5 {
      let row = x.scalars[(r * width)..<((r + 1) * width)].map(Double.init)
      let m = row.max()!
      let e = row.map { Foundation.exp($0 - m) }
      let s = e.reduce(0, +)
      let mean = row.reduce(0, +) / Double(width)
      let sd = (row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width) + 1e-5).squareRoot()
      for j in 0..<width {
        #expect(abs(Double(p[r * width + j]) - e[j] / s) < 1e-6)
        #expect(abs(Double(n[r * width + j]) - (row[j] - mean) / sd) < 1e-5)
      }
    }
  }
}

/// The dropout mask is SplitMix64 of key + pair index, each 64-bit draw giving two 32-bit uniforms: the C
/// kernel must draw exactly these (cached stages were trained with them), at any length and worker count.
@Test(arguments: [1, 2, 7, 8, 4097, 50_001])
func dropoutMaskIsSplitMix64OfKeyAndIndex(count: Int) {
  let p: Float = 0.1
  let key = RandomGenerator(seed: 8).next()
  let threshold = UInt64(Double(p) * 4_294_967_296)
  var expected = [Float](repeating: 0, count: count)
  for j in 0..<((count + 1) / 2) {
    let z = SplitMix64.mix(key &+ UInt64(j) &* SplitMix64.increment)
    expected[2 * j] = (z >> 32) < threshold ? 0 : 1 / (1 - p)
    if 2 * j + 1 < count { expected[2 * j + 1] = (z & 0xFFFF_FFFF) < threshold ? 0 : 1 / (1 - p) }
  }
  for workers in [1, 2, 3] {
    let mask = Parallel.withThreads(workers) {
      Tensor.dropoutMask(count: count, p: p, generator: RandomGenerator(seed: 8))
    }
    #expect(mask.scalars == expected, "count \(count), \(workers) workers")
  }
}
