import COpenBLAS

/// The BLAS library in use; recorded with every run because kernels (and so the last bits of
/// every result) differ between CPUs and builds.
public struct BLASConfiguration: Codable, Sendable, Equatable {
  public var library: String
  public var config: String
  public var coreName: String
  public var threads: Int
}

public enum BLAS {
  /// The current OpenBLAS configuration string, core name and thread count.
  public static var configuration: BLASConfiguration {
    BLASConfiguration(
      library: "OpenBLAS",
      config: openblas_get_config().map { String(cString: $0) } ?? "unknown",
      coreName: openblas_get_corename().map { String(cString: $0) } ?? "unknown",
      threads: Int(openblas_get_num_threads()))
  }

  /// Sets the OpenBLAS thread count for the whole process.
  public static func setThreads(_ n: Int) {
    precondition(n >= 1, "BLAS.setThreads: need at least one thread, got \(n)")
    openblas_set_num_threads(Int32(n))
  }

  public static var threads: Int { Int(openblas_get_num_threads()) }
}

/// Row-major `C = alpha * op(A) * op(B) + beta * C`, transposes folded into the call.
/// Large products are split into `Parallel.workers` blocks of C rows (or columns) run at once,
/// each by single-threaded OpenBLAS (every element of C computed by one kernel call over the whole
/// K), so no BLAS threads spin between calls and the work is deterministic for a worker count.
@inline(__always)
func sgemm(
  transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    if beta == 0 {
      for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
    }
    return
  }
  Parallel.blasSetup
  let workers = parallel ? Parallel.workers : 1
  if workers > 1 && m * n * k >= 1 << 19 {
    let box = UncheckedBox((a: a, b: b, c: c))
    // Split the longer side of C into blocks whose bounds are multiples of 8 (the last runs to the end).
    let byRows = m >= n
    let extent = byRows ? m : n
    let blocks = min(workers, (extent + 15) / 16)
    Parallel.forEachIndex(blocks) { w in
      let lo = (extent * w / blocks) & ~7
      let hi = w == blocks - 1 ? extent : (extent * (w + 1) / blocks) & ~7
      guard hi > lo else { return }
      let p = box.value
      if byRows {
        blasCall(
          transA, transB, hi - lo, n, k, alpha, p.a + (transA ? lo : lo * lda), lda, p.b, ldb, beta,
          p.c + lo * ldc, ldc)
      } else {
        blasCall(
          transA, transB, m, hi - lo, k, alpha, p.a, lda, p.b + (transB ? lo * ldb : lo), ldb, beta, p.c + lo,
          ldc)
      }
    }
    return
  }
  blasCall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

@inline(__always)
private func blasCall(
  _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
  _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>,
  _ ldc: Int
) {
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
