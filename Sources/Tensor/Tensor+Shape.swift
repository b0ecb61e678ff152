/// Reshaping, row gathering, concatenation and slicing. Only `reshaped` shares storage.
extension Tensor {
  /// The same values under a new shape (one dimension may be -1).
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var s = newShape
    if let k = s.firstIndex(of: -1) {
      let rest = s.enumerated().filter { $0.offset != k }.map(\.element).reduce(1, *)
      precondition(rest > 0 && count % rest == 0, "reshaped: cannot infer -1 in \(newShape) for \(shape)")
      s[k] = count / rest
    }
    precondition(Tensor.elementCount(s) == count, "reshaped: \(shape) has \(count) elements, \(s) does not")
    let out = Tensor(shape: s, storage: storage)
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer())
      for i in 0..<self.count { dx[i] += g[i] }
    }
  }

  /// Rows of `self` seen as `[rows, lastDim]`, picked by `indices` -> `[indices.count, lastDim]`;
  /// the backward pass scatter-adds (indices may repeat).
  public func gatherRows(_ indices: [Int]) -> Tensor {
    let (r, d) = (rows, lastDim)
    let out = Tensor(uninitializedShape: [indices.count, d])
    for (k, i) in indices.enumerated() {
      precondition(i >= 0 && i < r, "gatherRows: index \(i) out of range 0..<\(r)")
      (out.pointer + k * d).update(from: pointer + i * d, count: d)
    }
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer())
      for (k, i) in indices.enumerated() {
        let (gr, dr) = (g + k * d, dx + i * d)
        for j in 0..<d { dr[j] += gr[j] }
      }
    }
  }

  /// Concatenation along the last dimension; all parts must agree on the leading dimensions.
  public static func concatLast(_ parts: [Tensor]) -> Tensor {
    precondition(!parts.isEmpty, "concatLast: no tensors")
    let lead = Array(parts[0].shape.dropLast())
    for p in parts {
      precondition(Array(p.shape.dropLast()) == lead, "concatLast: \(p.shape) does not match leading \(lead)")
    }
    let widths = parts.map(\.lastDim)
    let total = widths.reduce(0, +)
    let r = parts[0].rows
    let out = Tensor(uninitializedShape: lead + [total])
    var offset = 0
    for (p, w) in zip(parts, widths) {
      for i in 0..<r { (out.pointer + i * total + offset).update(from: p.pointer + i * w, count: w) }
      offset += w
    }
    return out.recorded(parts) { out in
      let g = out.gradPointer()
      var offset = 0
      for (p, w) in zip(parts, widths) {
        if p.requiresGrad {
          let dp = p.gradPointer()
          for i in 0..<r {
            let (gr, dr) = (g + i * total + offset, dp + i * w)
            for j in 0..<w { dr[j] += gr[j] }
          }
        }
        offset += w
      }
    }
  }

  /// Concatenation along the first dimension; all parts must agree on the trailing dimensions.
  public static func concatFirst(_ parts: [Tensor]) -> Tensor {
    precondition(!parts.isEmpty, "concatFirst: no tensors")
    let tail = Array(parts[0].shape.dropFirst())
    for p in parts {
      precondition(
        Array(p.shape.dropFirst()) == tail, "concatFirst: \(p.shape) does not match trailing \(tail)")
    }
    let lead = parts.map { $0.shape.first ?? 1 }.reduce(0, +)
    let out = Tensor(uninitializedShape: [lead] + tail)
    var offset = 0
    for p in parts {
      (out.pointer + offset).update(from: p.pointer, count: p.count)
      offset += p.count
    }
    return out.recorded(parts) { out in
      let g = out.gradPointer()
      var offset = 0
      for p in parts {
        if p.requiresGrad {
          let dp = p.gradPointer()
          for j in 0..<p.count { dp[j] += g[offset + j] }
        }
        offset += p.count
      }
    }
  }

  /// Columns `range` of the last dimension -> `[.., range.count]`.
  public func sliceLast(_ range: Range<Int>) -> Tensor {
    let (r, d, w) = (rows, lastDim, range.count)
    precondition(range.lowerBound >= 0 && range.upperBound <= d, "sliceLast: \(range) out of 0..<\(d)")
    let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [w])
    for i in 0..<r { (out.pointer + i * w).update(from: pointer + i * d + range.lowerBound, count: w) }
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer())
      for i in 0..<r {
        let (gr, dr) = (g + i * w, dx + i * d + range.lowerBound)
        for j in 0..<w { dr[j] += gr[j] }
      }
    }
  }

  /// Entries `range` of the first dimension.
  public func sliceFirst(_ range: Range<Int>) -> Tensor {
    precondition(rank >= 1, "sliceFirst: needs rank >= 1")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[0], "sliceFirst: \(range) out of 0..<\(shape[0])")
    let inner = shape[0] == 0 ? 0 : count / shape[0]
    let out = Tensor(uninitializedShape: [range.count] + shape.dropFirst())
    out.pointer.update(from: pointer + range.lowerBound * inner, count: out.count)
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer() + range.lowerBound * inner)
      for j in 0..<out.count { dx[j] += g[j] }
    }
  }
}
