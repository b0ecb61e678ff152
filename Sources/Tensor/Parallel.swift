import Dispatch
import Synchronization

/// Worker threads for the engine's own parallel loops (attention over the batch); BLAS keeps
/// its own pool for the large products. Results never depend on the count: each worker owns
/// whole batch items and reductions run in a fixed order.
public enum Parallel {
  private static let workerCount = Atomic<Int>(1)

  public static var workers: Int { workerCount.load(ordering: .relaxed) }

  /// Sets both the engine's workers and OpenBLAS's threads.
  public static func setThreads(_ n: Int) {
    precondition(n >= 1, "Parallel.setThreads: need at least one thread, got \(n)")
    workerCount.store(n, ordering: .relaxed)
    BLAS.setThreads(n)
  }

  /// Runs `body(range)` over `0..<count` split into contiguous chunks, one per worker.
  static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    let w = min(workers, count)
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
