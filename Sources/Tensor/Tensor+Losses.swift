import Foundation

/// Losses, fused with their softmax/sigmoid so the backward pass is one subtraction.
/// All return the mean over the rows (or elements) they count.
extension Tensor {
  /// Row-wise log-softmax of `logits [R, C]` into `out`; returns nothing, writes `out`.
  @inline(__always)
  static func logSoftmaxRow(_ x: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ c: Int) {
    var m = -Float.infinity
    for j in 0..<c { m = max(m, x[j]) }
    var s: Float = 0
    for j in 0..<c { s += Kernels.exp(x[j] - m) }
    let lse = m + Float(_logf(s))
    for j in 0..<c { out[j] = x[j] - lse }
  }

  /// Cross-entropy of `self` (logits `[.., C]`) against hard `labels` (one per row); rows whose
  /// label is negative are ignored. Mean over the counted rows (0 if none).
  public func crossEntropy(labels: [Int]) -> Tensor {
    let (r, c) = (rows, lastDim)
    precondition(labels.count == r, "crossEntropy: \(labels.count) labels for \(r) rows of \(shape)")
    let logp = Tensor(uninitializedShape: [r, c])
    var loss: Double = 0
    var counted = 0
    for i in 0..<r {
      let label = labels[i]
      guard label >= 0 else { continue }
      precondition(label < c, "crossEntropy: label \(label) out of range 0..<\(c) at row \(i)")
      Tensor.logSoftmaxRow(pointer + i * c, logp.pointer + i * c, c)
      loss -= Double(logp.pointer[i * c + label])
      counted += 1
    }
    let n = Float(max(counted, 1))
    let out = Tensor([Float(loss) / n], shape: [])
    return out.recorded([self]) { out in
      let g = out.gradPointer()[0] / n
      let dx = self.gradPointer()
      for i in 0..<r where labels[i] >= 0 {
        let (lp, d) = (logp.pointer + i * c, dx + i * c)
        for j in 0..<c { d[j] += g * Kernels.exp(lp[j]) }
        d[labels[i]] -= g
      }
    }
  }

  /// Cross-entropy against soft targets `[.., C]` (rows of probabilities): `-sum p log q`.
  public func softCrossEntropy(targets: Tensor) -> Tensor {
    let (r, c) = (rows, lastDim)
    precondition(targets.count == count, "softCrossEntropy: targets \(targets.shape) for logits \(shape)")
    let logp = Tensor(uninitializedShape: [r, c])
    var loss: Double = 0
    for i in 0..<r {
      Tensor.logSoftmaxRow(pointer + i * c, logp.pointer + i * c, c)
      let (lp, p) = (logp.pointer + i * c, targets.pointer + i * c)
      for j in 0..<c { loss -= Double(p[j] * lp[j]) }
    }
    let n = Float(max(r, 1))
    let out = Tensor([Float(loss) / n], shape: [])
    return out.recorded([self]) { out in
      let g = out.gradPointer()[0] / n
      let dx = self.gradPointer()
      for i in 0..<r {
        let (lp, p, d) = (logp.pointer + i * c, targets.pointer + i * c, dx + i * c)
        var mass: Float = 0
        for j in 0..<c { mass += p[j] }
        for j in 0..<c { d[j] += g * (mass * Kernels.exp(lp[j]) - p[j]) }
      }
    }
  }

  /// KL(targets || softmax(self)) per row, mean over rows; targets are probabilities.
  public func klDivergence(targets: Tensor) -> Tensor {
    let r = rows
    precondition(targets.count == count, "klDivergence: targets \(targets.shape) for logits \(shape)")
    var entropy: Double = 0
    for i in 0..<count where targets.pointer[i] > 0 {
      let p = Double(targets.pointer[i])
      entropy += p * _log(p)
    }
    let ce = softCrossEntropy(targets: targets)
    return ce + Float(entropy / Double(max(r, 1)))
  }

  /// Binary cross-entropy with logits against targets in [0, 1], mean over elements
  /// (the stable form `max(x,0) - x t + log(1 + exp(-|x|))`).
  public func binaryCrossEntropy(targets: Tensor) -> Tensor {
    precondition(targets.count == count, "binaryCrossEntropy: targets \(targets.shape) for logits \(shape)")
    let (x, t, n) = (pointer, targets.pointer, count)
    var loss: Double = 0
    for i in 0..<n {
      loss += Double(max(x[i], 0) - x[i] * t[i]) + _log1p(Double(Kernels.exp(-abs(x[i]))))
    }
    let out = Tensor([Float(loss / Double(max(n, 1)))], shape: [])
    return out.recorded([self]) { out in
      // Read the targets through the tensor, which the closure keeps alive: a pointer alone would
      // dangle once the caller drops `targets`, and the pool hands its buffer to the next tensor.
      let (x, t) = (self.pointer, targets.pointer)
      let g = out.gradPointer()[0] / Float(max(n, 1))
      let dx = self.gradPointer()
      for i in 0..<n { dx[i] += g * (1 / (1 + Kernels.exp(-x[i])) - t[i]) }
    }
  }
}

@inline(__always) func _logf(_ x: Float) -> Float { Foundation.log(x) }
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Foundation.log1p(x) }
