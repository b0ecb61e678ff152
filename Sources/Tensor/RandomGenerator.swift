import Foundation
import Primitives

/// A seeded, splittable random generator (SplitMix64). Its whole state is one `UInt64`, so it
/// checkpoints exactly; `split()` derives an independent stream without disturbing others.
public final class RandomGenerator: @unchecked Sendable {
  private var source: SplitMix64
  public var state: UInt64 { source.state }

  public init(seed: UInt64) { source = SplitMix64(seed: seed) }

  /// Restores a generator from a checkpointed `state`.
  public init(state: UInt64) { source = SplitMix64(seed: state) }

  /// Rewinds (or advances) this generator to a checkpointed `state`.
  public func restore(state: UInt64) { source.state = state }

  @inline(__always) public func next() -> UInt64 { source.next() }

  /// A child generator whose stream is independent of this one's continuation.
  public func split() -> RandomGenerator {
    RandomGenerator(seed: next() ^ 0x6A09_E667_F3BC_C909)
  }

  /// Uniform in [0, 1) with 24 random bits.
  @inline(__always) public func uniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Uniform integer in `0..<bound` (bound > 0), by rejection so it is unbiased.
  public func int(below bound: Int) -> Int {
    precondition(bound > 0, "RandomGenerator.int: bound must be positive, got \(bound)")
    let b = UInt64(bound)
    let limit = UInt64.max - UInt64.max % b
    while true {
      let r = next()
      if r < limit { return Int(r % b) }
    }
  }

  /// Standard normal by Box-Muller (uses two uniforms per call, no cached spare: keeps state simple).
  public func normal() -> Float {
    let u1 = max(Double(next() >> 11) * 0x1.0p-53, 1e-300)
    let u2 = Double(next() >> 11) * 0x1.0p-53
    return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
  }

  /// A tensor of `N(0, std^2)` values.
  public func normal(shape: [Int], std: Float) -> Tensor {
    let t = Tensor(uninitializedShape: shape)
    for i in 0..<t.count { t.pointer[i] = normal() * std }
    return t
  }

  /// A tensor of uniform values in `[low, high)`.
  public func uniform(shape: [Int], low: Float, high: Float) -> Tensor {
    let t = Tensor(uninitializedShape: shape)
    for i in 0..<t.count { t.pointer[i] = low + (high - low) * uniform() }
    return t
  }

  /// A random permutation of `0..<n` (Fisher-Yates).
  public func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    if n > 1 {
      for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, int(below: i + 1)) }
    }
    return p
  }
}
