import CKernels
import Foundation

/// Element-wise arithmetic. Broadcasting: the smaller operand's shape must be a suffix of the
/// larger one's (a bias `[H]` over `[B, N, H]`, a row `[N, H]` over `[B, N, H]`), or a scalar.
extension Tensor {
  fileprivate static func checkBroadcast(_ a: Tensor, _ b: Tensor, _ op: String) {
    precondition(
      b.count == 1 || Array(a.shape.suffix(b.rank)) == b.shape,
      "\(op): shape \(b.shape) does not broadcast against \(a.shape) (must be a suffix or a scalar)")
  }

  /// Calls `body` with the offset of each `m`-wide row of an `n`-element buffer: the rows a suffix-shaped
  /// operand broadcasts over.
  @inline(__always) fileprivate static func forEachRow(_ n: Int, _ m: Int, _ body: (Int) -> Void) {
    var base = 0
    while base < n {
      body(base)
      base += m
    }
  }

  /// Sum `self[i] + other[i mod other.count]`, gradient reduced over the broadcast dimensions.
  fileprivate func addBroadcast(_ other: Tensor, sign: Float) -> Tensor {
    Tensor.checkBroadcast(self, other, sign > 0 ? "add" : "subtract")
    let out = Tensor(uninitializedShape: shape)
    let (x, y, z, n, m) = (pointer, other.pointer, out.pointer, count, other.count)
    if m == n {
      for i in 0..<n { z[i] = x[i] + sign * y[i] }
    } else {
      Tensor.forEachRow(n, m) { base in
        for j in 0..<m { z[base + j] = x[base + j] + sign * y[j] }
      }
    }
    return out.recorded([self, other]) { out in
      let g = out.gradPointer()
      if self.requiresGrad {
        let dx = self.gradPointer()
        for i in 0..<n { dx[i] += g[i] }
      }
      if other.requiresGrad {
        let dy = other.gradPointer()
        Tensor.forEachRow(n, m) { base in
          for j in 0..<m { dy[j] += sign * g[base + j] }
        }
      }
    }
  }

  fileprivate func mulBroadcast(_ other: Tensor) -> Tensor {
    Tensor.checkBroadcast(self, other, "multiply")
    let out = Tensor(uninitializedShape: shape)
    let (x, y, z, n, m) = (pointer, other.pointer, out.pointer, count, other.count)
    Tensor.forEachRow(n, m) { base in
      for j in 0..<m { z[base + j] = x[base + j] * y[j] }
    }
    return out.recorded([self, other]) { out in
      let g = out.gradPointer()
      if self.requiresGrad {
        let dx = self.gradPointer()
        Tensor.forEachRow(n, m) { base in
          for j in 0..<m { dx[base + j] += g[base + j] * y[j] }
        }
      }
      if other.requiresGrad {
        let dy = other.gradPointer()
        Tensor.forEachRow(n, m) { base in
          for j in 0..<m { dy[j] += g[base + j] * x[base + j] }
        }
      }
    }
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor {
    a.count >= b.count ? a.addBroadcast(b, sign: 1) : b.addBroadcast(a, sign: 1)
  }

  public static func - (a: Tensor, b: Tensor) -> Tensor {
    precondition(a.count >= b.count, "subtract: left operand \(a.shape) smaller than right \(b.shape)")
    return a.addBroadcast(b, sign: -1)
  }

  public static func * (a: Tensor, b: Tensor) -> Tensor {
    a.count >= b.count ? a.mulBroadcast(b) : b.mulBroadcast(a)
  }

  /// `self * scale + shift` for constants.
  public func affine(scale: Float, shift: Float = 0) -> Tensor {
    let out = Tensor(uninitializedShape: shape)
    let (x, z) = (pointer, out.pointer)
    for i in 0..<count { z[i] = x[i] * scale + shift }
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer())
      for i in 0..<self.count { dx[i] += g[i] * scale }
    }
  }

  public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s) }
  public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s) }
  public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
  public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
  public static prefix func - (a: Tensor) -> Tensor { a.affine(scale: -1) }

  /// An element-wise map whose derivative is computed from the input and the output.
  @inline(__always)
  fileprivate func map(
    _ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    let out = Tensor(uninitializedShape: shape)
    let (x, y) = (pointer, out.pointer)
    for i in 0..<count { y[i] = f(x[i]) }
    return out.recorded([self]) { out in
      let (g, dx, y) = (out.gradPointer(), self.gradPointer(), out.pointer)
      for i in 0..<self.count { dx[i] += g[i] * derivative(x[i], y[i]) }
    }
  }

  public func relu() -> Tensor {
    map({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
  }

  public func tanh() -> Tensor {
    map({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
  }

  public func sigmoid() -> Tensor {
    map({ 1 / (1 + Kernels.exp(-$0)) }, derivative: { _, y in y * (1 - y) })
  }

  /// GELU in the exact erf form, `x * Phi(x)` (PyTorch's default), with erf by A&S 7.1.26.
  /// Written as plain loops over chunks (no closures) so they vectorize and run on all workers.
  public func gelu() -> Tensor {
    let out = Tensor(uninitializedShape: shape)
    let io = UncheckedBox((x: pointer, y: out.pointer))
    Parallel.forEachChunk(count, minimum: 1 << 14) { r in
      let (x, y) = (io.value.x, io.value.y)
      ak_gelu(x + r.lowerBound, y + r.lowerBound, r.count)
    }
    return out.recorded([self]) { out in
      let io = UncheckedBox((x: self.pointer, g: out.gradPointer(), dx: self.gradPointer()))
      Parallel.forEachChunk(self.count, minimum: 1 << 14) { r in
        let (x, g, dx) = (io.value.x, io.value.g, io.value.dx)
        ak_gelu_backward(x + r.lowerBound, g + r.lowerBound, dx + r.lowerBound, r.count)
      }
    }
  }

  /// Sum of all elements -> scalar.
  public func sum() -> Tensor {
    var s: Double = 0
    for i in 0..<count { s += Double(pointer[i]) }
    let out = Tensor([Float(s)], shape: [])
    return out.recorded([self]) { out in
      let g = out.gradPointer()[0]
      let dx = self.gradPointer()
      for i in 0..<self.count { dx[i] += g }
    }
  }

  /// Mean of all elements -> scalar.
  public func mean() -> Tensor {
    precondition(count > 0, "mean: empty tensor")
    return sum().affine(scale: 1 / Float(count))
  }

  /// Mean over the last dimension -> shape without it.
  public func meanLastDim() -> Tensor {
    let (r, d) = (rows, lastDim)
    let out = Tensor(uninitializedShape: Array(shape.dropLast()))
    for i in 0..<r {
      var s: Float = 0
      let row = pointer + i * d
      for j in 0..<d { s += row[j] }
      out.pointer[i] = s / Float(d)
    }
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer())
      for i in 0..<r {
        let gi = g[i] / Float(d)
        let row = dx + i * d
        for j in 0..<d { row[j] += gi }
      }
    }
  }
}
