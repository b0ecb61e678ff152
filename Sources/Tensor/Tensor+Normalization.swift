import CKernels

/// Layer normalization over the last dimension, `(x - mean) / sqrt(var + eps) * gamma + beta`.
/// Rows run in parallel; the gamma/beta gradients (sums over rows) run serially in row order, so
/// results do not depend on the worker count.
extension Tensor {
  public func layerNorm(gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
    let (r, d) = (rows, lastDim)
    precondition(gamma.count == d && beta.count == d, "layerNorm: gamma/beta must have \(d) elements")
    let out = Tensor(uninitializedShape: shape)
    let stats = Tensor(uninitializedShape: [r, 2])  // mean, rstd
    let io = UncheckedBox((x: pointer, y: out.pointer, s: stats.pointer, gm: gamma.pointer, bt: beta.pointer))
    Parallel.forEachChunk(r, minimum: 4096 / max(d, 1) + 1) { rows in
      let (x, y, s, gm, bt) = io.value
      for i in rows {
        ak_layernorm(x + i * d, y + i * d, gm, bt, d, epsilon, s + 2 * i)
      }
    }
    return out.recorded([self, gamma, beta]) { out in
      let (x, g, s, gm) = (self.pointer, out.gradPointer(), stats.pointer, gamma.pointer)
      if gamma.requiresGrad || beta.requiresGrad {
        let dg = gamma.requiresGrad ? gamma.gradPointer() : nil
        let db = beta.requiresGrad ? beta.gradPointer() : nil
        for i in 0..<r {
          let (xr, gr) = (x + i * d, g + i * d)
          let (mean, rstd) = (s[2 * i], s[2 * i + 1])
          if let dg { for j in 0..<d { dg[j] += gr[j] * (xr[j] - mean) * rstd } }
          if let db { for j in 0..<d { db[j] += gr[j] } }
        }
      }
      guard self.requiresGrad else { return }
      let io = UncheckedBox((x: x, g: g, s: s, gm: gm, dx: self.gradPointer()))
      Parallel.forEachChunk(r, minimum: 4096 / max(d, 1) + 1) { rows in
        let (x, g, s, gm, dx) = io.value
        for i in rows {
          ak_layernorm_backward(x + i * d, g + i * d, gm, s[2 * i], s[2 * i + 1], dx + i * d, d)
        }
      }
    }
  }
}
