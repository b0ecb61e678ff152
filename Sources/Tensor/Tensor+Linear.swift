/// Matrix products through `cblas_sgemm`; backward passes accumulate with `beta = 1`.
extension Tensor {
  /// `self [.., K] x other [K, N]` (or `other [N, K]` transposed) -> `[.., N]`.
  public func matmul(_ other: Tensor, transposeOther: Bool = false) -> Tensor {
    precondition(other.rank == 2, "matmul: right operand must be a matrix, got shape \(other.shape)")
    let k = lastDim
    let n = transposeOther ? other.shape[0] : other.shape[1]
    let kb = transposeOther ? other.shape[1] : other.shape[0]
    precondition(
      k == kb, "matmul: inner sizes differ, \(shape) x \(other.shape)\(transposeOther ? "^T" : "")")
    let m = rows
    let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [n])
    sgemm(
      transA: false, transB: transposeOther, m: m, n: n, k: k, a: pointer, lda: k, b: other.pointer,
      ldb: transposeOther ? k : n, beta: 0, c: out.pointer, ldc: n)
    return out.recorded([self, other]) { out in
      let dc = out.gradPointer()
      if self.requiresGrad {
        // dA += dC op(B)^T
        let (da, beta) = self.gradPointerForGEMM()
        sgemm(
          transA: false, transB: !transposeOther, m: m, n: k, k: n, a: dc, lda: n, b: other.pointer,
          ldb: transposeOther ? k : n, beta: beta, c: da, ldc: k)
      }
      if other.requiresGrad {
        let (db, beta) = other.gradPointerForGEMM()
        if transposeOther {  // dB [N,K] += dC^T A
          sgemm(
            transA: true, transB: false, m: n, n: k, k: m, a: dc, lda: n, b: self.pointer, ldb: k,
            beta: beta, c: db, ldc: k)
        } else {  // dB [K,N] += A^T dC
          sgemm(
            transA: true, transB: false, m: k, n: n, k: m, a: self.pointer, lda: k, b: dc, ldb: n,
            beta: beta, c: db, ldc: n)
        }
      }
    }
  }

  /// `self [.., in] x weight [out, in]^T + bias [out]` -> `[.., out]` (PyTorch's layout).
  public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let (nOut, nIn) = (weight.shape[0], weight.shape[1])
    precondition(lastDim == nIn, "linear: input \(shape) does not end in \(nIn) (weight \(weight.shape))")
    if let bias {
      precondition(bias.count == nOut, "linear: bias \(bias.shape) does not match \(nOut) outputs")
    }
    let m = rows
    let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [nOut])
    let y = out.pointer
    if let bias {
      for r in 0..<m { (y + r * nOut).update(from: bias.pointer, count: nOut) }
    }
    sgemm(
      transA: false, transB: true, m: m, n: nOut, k: nIn, a: pointer, lda: nIn, b: weight.pointer,
      ldb: nIn, beta: bias == nil ? 0 : 1, c: y, ldc: nOut)
    let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
    return out.recorded(inputs) { out in
      let dy = out.gradPointer()
      if self.requiresGrad {
        let (dx, beta) = self.gradPointerForGEMM()
        sgemm(
          transA: false, transB: false, m: m, n: nIn, k: nOut, a: dy, lda: nOut, b: weight.pointer,
          ldb: nIn, beta: beta, c: dx, ldc: nIn)
      }
      if weight.requiresGrad {
        let (dw, beta) = weight.gradPointerForGEMM()
        sgemm(
          transA: true, transB: false, m: nOut, n: nIn, k: m, a: dy, lda: nOut, b: self.pointer,
          ldb: nIn, beta: beta, c: dw, ldc: nIn)
      }
      if let bias, bias.requiresGrad {
        let db = bias.gradPointer()
        for r in 0..<m {
          let row = dy + r * nOut
          for j in 0..<nOut { db[j] += row[j] }
        }
      }
    }
  }
}
