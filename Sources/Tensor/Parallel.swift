import Dispatch
import Synchronization

/// Worker threads for the engine's parallel loops: blocks of large matrix products, attention
/// over the batch, element-wise kernels. Each output element is computed by exactly one worker
/// with the same arithmetic, and reductions run in a fixed order, so a run is bit-reproducible for
/// a given worker count (OpenBLAS may pick different kernels for differently split blocks, so
/// different worker counts can differ in the last bits).
public enum Parallel {
  private static let workerCount = Atomic<Int>(1)
  @TaskLocal static var scopedWorkers: Int? = nil

  /// OpenBLAS starts with one thread per core; the engine splits products itself, so BLAS is put
  /// at one thread before the first product (`sgemm` touches this once).
  static let blasSetup: Void = { BLAS.setThreads(1) }()

  /// The worker count for loops started on this task: a `withThreads` scope, else the global one.
  public static var workers: Int { scopedWorkers ?? workerCount.load(ordering: .relaxed) }

  /// Runs `body` with `n` workers for this task only (tests and concurrent trainers use it so
  /// that they do not change each other's thread count).
  public static func withThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
    precondition(n >= 1, "Parallel.withThreads: need at least one thread, got \(n)")
    blasSetup
    return try $scopedWorkers.withValue(n, operation: body)
  }

  /// Sets the engine's workers to `n` and OpenBLAS to one thread: the engine splits large
  /// products itself (see `sgemm`), so BLAS threads would only spin between calls.
  public static func setThreads(_ n: Int) {
    precondition(n >= 1, "Parallel.setThreads: need at least one thread, got \(n)")
    workerCount.store(n, ordering: .relaxed)
    blasSetup
    BLAS.setThreads(1)
  }

  /// Runs `body(i)` for `i` in `0..<count` on `count` threads at once, each with one worker and the caller's
  /// autograd modes (task-locals do not cross into the threads by themselves): data parallelism, where each
  /// thread runs a whole forward and backward pass of its own.
  public static func replicas(_ count: Int, _ body: (Int) -> Void) {
    let (recording, training) = (Autograd.isRecording, Autograd.isTraining)
    forEachIndex(count) { i in
      withThreads(1) {
        Autograd.$isRecording.withValue(recording) {
          Autograd.$isTraining.withValue(training) { body(i) }
        }
      }
    }
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
