import Dispatch
import Synchronization

/// Worker threads for the engine's parallel loops: blocks of large matrix products, attention
/// over the batch, element-wise kernels. Each output element is computed by exactly one worker
/// with the same arithmetic, and reductions run in a fixed order.
public enum Parallel {
  private static let workerCount = Atomic<Int>(1)

  public static var workers: Int { workerCount.load(ordering: .relaxed) }

  /// Sets the engine's workers to `n` and OpenBLAS to one thread: the engine splits large
  /// products itself (see `sgemm`), so BLAS threads would only spin between calls.
  public static func setThreads(_ n: Int) {
    precondition(n >= 1, "Parallel.setThreads: need at least one thread, got \(n)")
    workerCount.store(n, ordering: .relaxed)
    BLAS.setThreads(1)
  }

  /// Runs `body(i)` for `i` in `0..<count` concurrently.
  static func forEachIndex(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
      if count == 1 { body(0) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedBox(body)
      DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
  }

  /// Runs `body(range)` over `0..<count` split into contiguous chunks, one per worker.
  /// Chunks are at least `minimum` long, so small loops stay on the calling thread.
  static func forEachChunk(_ count: Int, minimum: Int = 1, _ body: (Range<Int>) -> Void) {
    let w = min(workers, count / max(minimum, 1))
    if w <= 1 {
      body(0..<count)
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedBox(body)
      DispatchQueue.concurrentPerform(iterations: w) { i in
        let lo = count * i / w
        let hi = count * (i + 1) / w
        box.value(lo..<hi)
      }
    }
  }
}

struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
