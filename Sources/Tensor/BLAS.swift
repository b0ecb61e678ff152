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
@inline(__always)
func sgemm(
  transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    if beta == 0 {
      for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
    }
    return
  }
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
