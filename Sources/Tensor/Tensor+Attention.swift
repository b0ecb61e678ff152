import CKernels
import Foundation

/// Fused multi-head scaled-dot-product attention, `softmax(Q K^T / sqrt(d) + mask) V`, per
/// (batch, head) with `cblas_sgemm` on strided views, so packed `[B, N, 3H]` projections are read
/// in place. Batch items are split across `Parallel.workers`; each worker writes only its own
/// rows, so the result does not depend on the worker count.
extension Tensor {
  /// A `[B, N, width]` tensor read as one of the Q/K/V blocks starting at column `offset`.
  struct AttentionOperand {
    let tensor: Tensor
    let offset: Int
    var stride: Int { tensor.lastDim }
  }

  /// Self-attention over packed `qkv [B, N, 3H]` -> `[B, N, H]`.
  /// `keyMask [B, N]` is added to the scores (0 keeps a key, a large negative value drops it).
  public static func selfAttention(
    qkv: Tensor, heads: Int, keyMask: Tensor? = nil, dropout p: Float = 0,
    generator: RandomGenerator? = nil
  ) -> Tensor {
    precondition(
      qkv.rank == 3 && qkv.lastDim % 3 == 0, "selfAttention: qkv must be [B, N, 3H], got \(qkv.shape)")
    let h = qkv.lastDim / 3
    return attention(
      AttentionOperand(tensor: qkv, offset: 0), AttentionOperand(tensor: qkv, offset: h),
      AttentionOperand(tensor: qkv, offset: 2 * h), hidden: h, heads: heads, keyMask: keyMask, p: p,
      generator: generator)
  }

  /// Cross-attention: `query [B, Nq, H]` attends to packed `keyValue [B, Nk, 2H]` -> `[B, Nq, H]`.
  public static func crossAttention(
    query: Tensor, keyValue: Tensor, heads: Int, keyMask: Tensor? = nil, dropout p: Float = 0,
    generator: RandomGenerator? = nil
  ) -> Tensor {
    precondition(query.rank == 3 && keyValue.rank == 3, "crossAttention: needs [B, N, .] tensors")
    let h = query.lastDim
    precondition(keyValue.lastDim == 2 * h, "crossAttention: keyValue \(keyValue.shape) must end in \(2 * h)")
    return attention(
      AttentionOperand(tensor: query, offset: 0), AttentionOperand(tensor: keyValue, offset: 0),
      AttentionOperand(tensor: keyValue, offset: h), hidden: h, heads: heads, keyMask: keyMask, p: p,
      generator: generator)
  }

  /// Attention over separate `query [B, Nq, H]`, `key [B, Nk, H]`, `value [B, Nk, H]`.
  public static func attention(
    query: Tensor, key: Tensor, value: Tensor, heads: Int, keyMask: Tensor? = nil, dropout p: Float = 0,
    generator: RandomGenerator? = nil
  ) -> Tensor {
    precondition(key.shape == value.shape, "attention: key \(key.shape) and value \(value.shape) differ")
    precondition(
      query.lastDim == key.lastDim, "attention: query \(query.shape) and key \(key.shape) differ in width")
    return attention(
      AttentionOperand(tensor: query, offset: 0), AttentionOperand(tensor: key, offset: 0),
      AttentionOperand(tensor: value, offset: 0), hidden: query.lastDim, heads: heads, keyMask: keyMask,
      p: p, generator: generator)
  }

  static func attention(
    _ q: AttentionOperand, _ k: AttentionOperand, _ v: AttentionOperand, hidden h: Int, heads: Int,
    keyMask: Tensor?, p: Float, generator: RandomGenerator?
  ) -> Tensor {
    let (b, nq, nk) = (q.tensor.shape[0], q.tensor.shape[1], k.tensor.shape[1])
    precondition(k.tensor.shape[0] == b && v.tensor.shape[0] == b, "attention: batch sizes differ")
    precondition(heads > 0 && h % heads == 0, "attention: hidden \(h) not divisible by \(heads) heads")
    if let keyMask {
      precondition(
        keyMask.shape == [b, nk], "attention: keyMask must be [\(b), \(nk)], got \(keyMask.shape)")
    }
    let dropping = p > 0 && Autograd.isTraining
    if dropping { precondition(generator != nil, "attention: dropout needs a generator") }
    let dh = h / heads
    let scale = 1 / Float(dh).squareRoot()
    let out = Tensor(uninitializedShape: [b, nq, h])
    let probs = Tensor(uninitializedShape: [b, heads, nq, nk])
    let mask = dropping ? Tensor.dropoutMask(count: probs.count, p: p, generator: generator!) : nil
    let workers = max(1, min(Parallel.workers, b))
    let scratch = Tensor(uninitializedShape: [workers, 2, nq, nk])
    let (qs, ks, vs) = (q.stride, k.stride, v.stride)
    let ptrs = UncheckedBox(
      (
        q: q.tensor.pointer + q.offset, k: k.tensor.pointer + k.offset, v: v.tensor.pointer + v.offset,
        o: out.pointer, P: probs.pointer, m: mask?.pointer, km: keyMask?.pointer, s: scratch.pointer
      ))
    let tile = nq * nk
    /// Where batch `bi`, head `hi` starts: its probabilities, and its query, key and value rows.
    let head: @Sendable (Int, Int) -> (probs: Int, q: Int, k: Int, v: Int) = { bi, hi in
      ((bi * heads + hi) * tile, bi * nq * qs + hi * dh, bi * nk * ks + hi * dh, bi * nk * vs + hi * dh)
    }
    Parallel.forEachChunk(b) { range in
      let x = ptrs.value
      let w = workers == 1 ? 0 : range.lowerBound * workers / b
      let pd = x.s + w * 2 * tile
      for bi in range {
        for hi in 0..<heads {
          let at = head(bi, hi)
          let (P, qp, kp, vp) = (x.P + at.probs, x.q + at.q, x.k + at.k, x.v + at.v)
          sgemm(
            transA: false, transB: true, m: nq, n: nk, k: dh, alpha: scale, a: qp, lda: qs, b: kp, ldb: ks,
            beta: 0, c: P, ldc: nk, parallel: false)
          for i in 0..<nq {
            let row = P + i * nk
            if let km = x.km {
              let mr = km + bi * nk
              for j in 0..<nk { row[j] += mr[j] }
            }
            Tensor.softmaxInPlace(row, nk)
          }
          var used = UnsafePointer(P)
          if let m = x.m {
            let mp = m + at.probs
            for t in 0..<tile { pd[t] = P[t] * mp[t] }
            used = UnsafePointer(pd)
          }
          sgemm(
            transA: false, transB: false, m: nq, n: dh, k: nk, a: used, lda: nk, b: vp, ldb: vs, beta: 0,
            c: x.o + bi * nq * h + hi * dh, ldc: h, parallel: false)
        }
      }
    }
    var inputs = [q.tensor]
    for t in [k.tensor, v.tensor] where !inputs.contains(where: { $0 === t }) { inputs.append(t) }
    return out.recorded(inputs) { out in
      let dq = q.tensor.requiresGrad ? q.tensor.gradPointer() + q.offset : nil
      let dk = k.tensor.requiresGrad ? k.tensor.gradPointer() + k.offset : nil
      let dv = v.tensor.requiresGrad ? v.tensor.gradPointer() + v.offset : nil
      let g = UncheckedBox((dq: dq, dk: dk, dv: dv, dout: out.gradPointer()))
      Parallel.forEachChunk(b) { range in
        let x = ptrs.value
        let d = g.value
        let w = workers == 1 ? 0 : range.lowerBound * workers / b
        let pd = x.s + w * 2 * tile
        let dP = pd + tile
        for bi in range {
          for hi in 0..<heads {
            let at = head(bi, hi)
            let (P, qp, kp, vp) = (x.P + at.probs, x.q + at.q, x.k + at.k, x.v + at.v)
            let dO = d.dout + bi * nq * h + hi * dh
            var used = UnsafePointer(P)
            let mp = x.m.map { $0 + at.probs }
            if let mp {
              for t in 0..<tile { pd[t] = P[t] * mp[t] }
              used = UnsafePointer(pd)
            }
            // dV += P_drop^T dO
            if let dv = d.dv {
              sgemm(
                transA: true, transB: false, m: nk, n: dh, k: nq, a: used, lda: nk, b: dO, ldb: h, beta: 1,
                c: dv + bi * nk * vs + hi * dh, ldc: vs, parallel: false)
            }
            guard d.dq != nil || d.dk != nil else { continue }
            // dP = dO V^T (times the dropout mask), then the softmax backward in place.
            sgemm(
              transA: false, transB: true, m: nq, n: nk, k: dh, a: dO, lda: h, b: vp, ldb: vs, beta: 0, c: dP,
              ldc: nk, parallel: false)
            if let mp { for t in 0..<tile { dP[t] *= mp[t] } }
            for i in 0..<nq {
              ak_softmax_backward(P + i * nk, dP + i * nk, dP + i * nk, nk, 0)
            }
            if let dq = d.dq {
              sgemm(
                transA: false, transB: false, m: nq, n: dh, k: nk, alpha: scale, a: dP, lda: nk, b: kp,
                ldb: ks, beta: 1, c: dq + bi * nq * qs + hi * dh, ldc: qs, parallel: false)
            }
            if let dk = d.dk {
              sgemm(
                transA: true, transB: false, m: nk, n: dh, k: nq, alpha: scale, a: dP, lda: nk, b: qp,
                ldb: qs, beta: 1, c: dk + bi * nk * ks + hi * dh, ldc: ks, parallel: false)
            }
          }
        }
      }
      _ = (probs, mask, scratch, keyMask)
    }
  }
}
