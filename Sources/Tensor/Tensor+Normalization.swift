/// Layer normalization over the last dimension, `(x - mean) / sqrt(var + eps) * gamma + beta`.
extension Tensor {
  public func layerNorm(gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
    let (r, d) = (rows, lastDim)
    precondition(gamma.count == d && beta.count == d, "layerNorm: gamma/beta must have \(d) elements")
    let out = Tensor(uninitializedShape: shape)
    let stats = Tensor(uninitializedShape: [r, 2])  // mean, rstd
    let (x, y, s, gm, bt) = (pointer, out.pointer, stats.pointer, gamma.pointer, beta.pointer)
    for i in 0..<r {
      let (xr, yr) = (x + i * d, y + i * d)
      var mean: Float = 0
      for j in 0..<d { mean += xr[j] }
      mean /= Float(d)
      var v: Float = 0
      for j in 0..<d {
        let c = xr[j] - mean
        v += c * c
      }
      let rstd = 1 / (v / Float(d) + epsilon).squareRoot()
      s[2 * i] = mean
      s[2 * i + 1] = rstd
      for j in 0..<d { yr[j] = (xr[j] - mean) * rstd * gm[j] + bt[j] }
    }
    return out.recorded([self, gamma, beta]) { out in
      let (g, s) = (out.gradPointer(), stats.pointer)  // `stats` must stay alive with the tape
      let dx = self.requiresGrad ? self.gradPointer() : nil
      let dg = gamma.requiresGrad ? gamma.gradPointer() : nil
      let db = beta.requiresGrad ? beta.gradPointer() : nil
      for i in 0..<r {
        let (xr, gr) = (x + i * d, g + i * d)
        let (mean, rstd) = (s[2 * i], s[2 * i + 1])
        var sumDh: Float = 0
        var sumDhX: Float = 0
        for j in 0..<d {
          let xhat = (xr[j] - mean) * rstd
          let dh = gr[j] * gm[j]
          sumDh += dh
          sumDhX += dh * xhat
        }
        sumDh /= Float(d)
        sumDhX /= Float(d)
        if let dx {
          let dr = dx + i * d
          for j in 0..<d {
            let xhat = (xr[j] - mean) * rstd
            dr[j] += rstd * (gr[j] * gm[j] - sumDh - xhat * sumDhX)
          }
        }
        if let dg {
          for j in 0..<d { dg[j] += gr[j] * (xr[j] - mean) * rstd }
        }
        if let db {
          for j in 0..<d { db[j] += gr[j] }
        }
      }
    }
  }
}
