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

  /// A mask of `0` and `1/(1-p)` values, drawn in order from `generator`.
  static func dropoutMask(count: Int, p: Float, generator: RandomGenerator) -> Tensor {
    let mask = Tensor(uninitializedShape: [count])
    let keep = 1 / (1 - p)
    // 24-bit uniforms compared against p: two per 64-bit draw keeps the RNG cheap.
    let threshold = UInt64(Double(p) * 16_777_216)
    var i = 0
    let m = mask.pointer
    while i < count {
      let r = generator.next()
      m[i] = (r >> 40) < threshold ? 0 : keep
      if i + 1 < count { m[i + 1] = ((r >> 8) & 0xFF_FFFF) < threshold ? 0 : keep }
      i += 2
    }
    return mask
  }
}
