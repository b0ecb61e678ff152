import CKernels

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
      ak_dropout_mask(m.value, range.lowerBound, range.count, count, key, threshold, keep)
    }
    return mask
  }
}
