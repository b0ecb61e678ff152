/// Data parallelism over the batch on one machine: `n` replicas of a model share its parameter values and keep
/// their own gradients; each runs forward and backward over its shard of the batch on its own thread, with
/// single-threaded kernels, and the gradients are then summed into the model's in replica order.
///
/// Why: at 2 threads, splitting every product and kernel leaves the main thread with the serial work (zero
/// fills, small reductions, autograd bookkeeping) and pays a fork and join per operation; whole passes per
/// thread do neither. A run is bit-reproducible for a given replica count.
public final class DataParallel<M: Module> {
  /// `replicas[0]` is the model itself; the others read its values.
  public let replicas: [M]
  private let parameters: [[Tensor]]

  /// Wraps `model` with `count - 1` more replicas built by `make(i)` (with their own dropout streams), whose
  /// parameters are then pointed at the model's values.
  public init(_ model: M, replicas count: Int, make: (Int) -> M) {
    precondition(count >= 1, "DataParallel: need at least one replica, got \(count)")
    let named = model.namedParameters()
    var replicas = [model]
    for i in 1..<count {
      let r = make(i)
      let theirs = r.namedParameters()
      precondition(
        theirs.map(\.0) == named.map(\.0), "DataParallel: replica \(i) has other parameters than the model")
      for ((_, mine), (_, copy)) in zip(named, theirs) { copy.shareValues(with: mine) }
      replicas.append(r)
    }
    self.replicas = replicas
    parameters = replicas.map(\.parameters)
  }

  /// Runs `loss(replica, i)` for every replica at once and back-propagates each with seed `1 / n`, so the
  /// model's gradient is that of the mean of the shard losses (each shard's loss is its own mean, as in
  /// PyTorch's DistributedDataParallel). Returns that mean loss. Gradients accumulate: zero them first.
  @discardableResult
  public func lossAndGradients(_ loss: @escaping (M, Int) -> Tensor) -> Float {
    let n = replicas.count
    if n == 1 {
      // One replica keeps the caller's worker count: its operations split across the threads instead.
      let l = loss(replicas[0], 0)
      l.backward()
      return l.item
    }
    let losses = UnsafeMutablePointer<Float>.allocate(capacity: n)
    defer { losses.deallocate() }
    let job = UncheckedSendable(Job(replicas: replicas, loss: loss, losses: losses))
    Parallel.replicas(n) { i in job.value.run(i) }
    for r in 1..<n {
      for (mine, theirs) in zip(parameters[0], parameters[r]) {
        mine.accumulateGrad(from: theirs)
        theirs.releaseGrad()
      }
    }
    return (0..<n).reduce(0) { $0 + losses[$1] } / Float(n)
  }
}

/// One step's work for the replica threads.
private struct Job<M: Module> {
  let replicas: [M]
  let loss: (M, Int) -> Tensor
  let losses: UnsafeMutablePointer<Float>

  func run(_ i: Int) {
    let l = loss(replicas[i], i)
    losses[i] = l.item
    l.backward(seed: 1 / Float(replicas.count))
  }
}

/// Hands values that are used by exactly one thread at a time across a concurrency boundary.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
