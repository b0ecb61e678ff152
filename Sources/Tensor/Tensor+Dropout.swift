/// Inverted dropout: zeroes each element with probability `p` and scales the rest by `1/(1-p)`.
/// The mask comes from `generator`, so a seed fixes it; off under `Autograd.inference`.
extension Tensor {
  public func dropout(_ p: Float, generator: RandomGenerator) -> Tensor {
    precondition(p >= 0 && p < 1, "dropout: probability must be in [0, 1), got \(p)")
    guard p > 0 && Autograd.isTraining else { return self }
    let mask = Tensor.dropoutMask(count: count, p: p, generator: generator)
    let out = Tensor(uninitializedShape: shape)
    let (x, y, m) = (pointer, out.pointer, mask.pointer)
    for i in 0..<count { y[i] = x[i] * m[i] }
    return out.recorded([self]) { out in
      let (g, dx, m) = (out.gradPointer(), self.gradPointer(), mask.pointer)
      for i in 0..<self.count { dx[i] += g[i] * m[i] }
    }
  }

  /// A mask of `0` and `1/(1-p)` values. One draw from `generator` keys a counter-based hash
  /// (SplitMix64 of key + index), so chunks fill in parallel and the mask does not depend on
  /// the worker count.
  static func dropoutMask(count: Int, p: Float, generator: RandomGenerator) -> Tensor {
    let mask = Tensor(uninitializedShape: [count])
    let keep = 1 / (1 - p)
    let threshold = UInt64(Double(p) * 4_294_967_296)  // compare 32-bit uniforms against p
    let key = generator.next()
    let m = UncheckedBox(mask.pointer)
    let pairs = (count + 1) / 2
    Parallel.forEachChunk(pairs, minimum: 1 << 13) { range in
      let m = m.value
      for j in range {
        var z = key &+ UInt64(j) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        m[2 * j] = (z >> 32) < threshold ? 0 : keep
        if 2 * j + 1 < count { m[2 * j + 1] = (z & 0xFFFF_FFFF) < threshold ? 0 : keep }
      }
    }
    return mask
  }
}
