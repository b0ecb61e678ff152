import CKernels

/// Softmax over the last dimension with an optional additive mask (0 keeps, a large negative
/// value drops) whose shape is a suffix of the input's, e.g. `[N, N]` over `[B, N, N]`.
extension Tensor {
  public func softmax(mask: Tensor? = nil) -> Tensor {
    let (r, c) = (rows, lastDim)
    if let mask {
      precondition(
        mask.lastDim == c && count % mask.count == 0 && Array(shape.suffix(mask.rank)) == mask.shape,
        "softmax: mask \(mask.shape) does not broadcast against \(shape)")
    }
    let out = Tensor(uninitializedShape: shape)
    let (x, y) = (pointer, out.pointer)
    let maskRows = mask.map { $0.rows } ?? 1
    for i in 0..<r {
      let (xr, yr) = (x + i * c, y + i * c)
      if let mask {
        let mr = mask.pointer + (i % maskRows) * c
        for j in 0..<c { yr[j] = xr[j] + mr[j] }
      } else {
        for j in 0..<c { yr[j] = xr[j] }
      }
      Tensor.softmaxInPlace(yr, c)
    }
    return out.recorded([self]) { out in
      let (g, dx, y) = (out.gradPointer(), self.gradPointer(), out.pointer)
      for i in 0..<r {
        let (gr, yr, dr) = (g + i * c, y + i * c, dx + i * c)
        ak_softmax_backward(yr, gr, dr, c, 1)
      }
    }
  }

  @inline(__always) static func softmaxInPlace(_ v: UnsafeMutablePointer<Float>, _ c: Int) {
    ak_softmax(v, c)
  }
}
