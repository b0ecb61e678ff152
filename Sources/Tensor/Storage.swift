import Synchronization

/// A Float32 buffer borrowed from the process-wide pool; returned (not freed) when released,
/// so that a warmed-up training step finds every buffer it needs already allocated.
final class Storage: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int, zeroed: Bool) {
    self.count = count
    pointer = BufferPool.shared.take(count)
    if zeroed { pointer.initialize(repeating: 0, count: count) }
  }

  deinit { BufferPool.shared.give(pointer, count: count) }
}

/// Free lists of Float32 buffers keyed by exact element count. Training repeats the same shapes
/// every step, so exact-size buckets reach a steady state after the first step.
public final class BufferPool: Sendable {
  public static let shared = BufferPool()

  private struct State {
    var free: [Int: [UInt]] = [:]  // addresses, so the state stays Sendable
    var pooledBytes = 0
    var allocations = 0
    var allocationsBySize: [Int: Int] = [:]
  }
  private let state = Mutex(State())

  /// Buffers kept for reuse beyond this many bytes are freed instead.
  public let capacityBytes = 512 << 20

  func take(_ count: Int) -> UnsafeMutablePointer<Float> {
    let reused: UInt? = state.withLock { s in
      if let p = s.free[count]?.popLast() {
        s.pooledBytes -= count * 4
        return p
      }
      s.allocations += 1
      s.allocationsBySize[count, default: 0] += 1
      return nil
    }
    if let reused { return UnsafeMutablePointer(bitPattern: reused)! }
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
    return raw.bindMemory(to: Float.self, capacity: max(count, 1))
  }

  func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
    let address = UInt(bitPattern: pointer)
    let keep = state.withLock { s -> Bool in
      guard s.pooledBytes + count * 4 <= capacityBytes else { return false }
      s.free[count, default: []].append(address)
      s.pooledBytes += count * 4
      return true
    }
    if !keep { UnsafeMutableRawPointer(pointer).deallocate() }
  }

  /// How many fresh buffers the pool has had to allocate so far (flat once training is warm).
  public var allocationCount: Int { state.withLock { $0.allocations } }

  /// How many fresh buffers of exactly `count` elements the pool has allocated.
  public func allocationCount(ofSize count: Int) -> Int {
    state.withLock { $0.allocationsBySize[count] ?? 0 }
  }

  /// Frees every pooled buffer (for example between unrelated runs in one process).
  public func drain() {
    let all = state.withLock { s -> [UInt] in
      let ps = s.free.values.flatMap { $0 }
      s.free = [:]
      s.pooledBytes = 0
      return ps
    }
    for p in all { UnsafeMutableRawPointer(bitPattern: p)!.deallocate() }
  }
}
