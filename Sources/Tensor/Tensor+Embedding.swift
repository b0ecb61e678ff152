import Foundation

/// Table lookups and fixed sinusoidal features.
extension Tensor {
  /// Rows of the table `self [V, H]` for `ids`, shaped `shape + [H]`; gradient by scatter-add.
  public func embedding(_ ids: [Int], shape idShape: [Int]? = nil) -> Tensor {
    precondition(rank == 2, "embedding: table must be [V, H], got \(shape)")
    let s = idShape ?? [ids.count]
    precondition(Tensor.elementCount(s) == ids.count, "embedding: \(ids.count) ids do not fill \(s)")
    let (v, h) = (shape[0], shape[1])
    for id in ids { precondition(id >= 0 && id < v, "embedding: id \(id) out of range 0..<\(v)") }
    let out = Tensor(uninitializedShape: s + [h])
    for (k, id) in ids.enumerated() { (out.pointer + k * h).update(from: pointer + id * h, count: h) }
    return out.recorded([self]) { out in
      let (g, dw) = (out.gradPointer(), self.gradPointer())
      for (k, id) in ids.enumerated() {
        let (gr, dr) = (g + k * h, dw + id * h)
        for j in 0..<h { dr[j] += gr[j] }
      }
    }
  }

  /// Sinusoidal features of each scalar in `self [.., D]`: for every input `x` and wavelength
  /// index `k < frequencies`, `sin(scale * x / base^(k/frequencies))` and the matching `cos`
  /// -> `[.., D * 2 * frequencies]` (Transformer positions; box geometry in Relation Networks).
  public func sinusoidal(frequencies: Int, base: Float = 1000, scale: Float = 100) -> Tensor {
    precondition(frequencies > 0, "sinusoidal: frequencies must be positive")
    let f = frequencies
    let omegas = (0..<f).map { scale / Foundation.pow(base, Float($0) / Float(f)) }
    let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [lastDim * 2 * f])
    for i in 0..<count {
      let x = pointer[i]
      let o = out.pointer + i * 2 * f
      for k in 0..<f {
        o[k] = Foundation.sin(omegas[k] * x)
        o[f + k] = Foundation.cos(omegas[k] * x)
      }
    }
    return out.recorded([self]) { out in
      let (g, dx) = (out.gradPointer(), self.gradPointer())
      for i in 0..<self.count {
        let (gi, o) = (g + i * 2 * f, out.pointer + i * 2 * f)
        var s: Float = 0
        for k in 0..<f { s += omegas[k] * (gi[k] * o[f + k] - gi[f + k] * o[k]) }
        dx[i] += s
      }
    }
  }
}
