import Primitives

/// The world's generator: SplitMix64, splittable by label, so every part of the world draws from its own
/// stream and generation never depends on the order (or thread) in which parts run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var source: SplitMix64
  private var state: UInt64 { source.state }

  public init(seed: UInt64) { source = SplitMix64(seed: seed) }

  public mutating func next() -> UInt64 { source.next() }

  /// An independent stream named by `label` and `index`; the parent's state is not advanced.
  public func split(_ label: String, _ index: Int = 0) -> SeededRandom {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the label, then mixed with the index
    for byte in label.utf8 {
      h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    var child = SeededRandom(seed: state ^ h ^ (UInt64(bitPattern: Int64(index)) &* 0xD6E8_FEB8_6659_FD93))
    _ = child.next()
    return SeededRandom(seed: child.next())
  }

  /// A uniform Float in [0, 1).
  public mutating func unit() -> Float { Float(next() >> 40) / Float(1 << 24) }

  /// A uniform Float in `range`.
  public mutating func uniform(_ range: ClosedRange<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * unit()
  }

  /// A standard normal sample (Box-Muller).
  public mutating func normal() -> Float {
    let u1 = max(unit(), 1e-7)
    let u2 = unit()
    return (-2 * logf(u1)).squareRoot() * cosf(2 * Float.pi * u2)
  }

  /// A uniform integer in `range` (exact, via the standard library's rejection sampling).
  public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

  /// True with probability `p`.
  public mutating func chance(_ p: Float) -> Bool { unit() < p }

  /// A uniform element of a non-empty collection.
  public mutating func pick<C: RandomAccessCollection>(_ c: C) -> C.Element where C.Index == Int {
    c[c.startIndex + int(0...(c.count - 1))]
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
