/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, well-mixed generator whose whole state is one `UInt64`,
/// so streams are identical on every platform and checkpoint exactly. Every seeded generator in ablate is
/// this one: the world's, the tensors', the built-in trainers', the tests'.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The Weyl increment, the golden ratio in 64 bits.
  @inlinable public static var increment: UInt64 { 0x9E37_79B9_7F4A_7C15 }

  public var state: UInt64

  @inlinable public init(seed: UInt64) { state = seed }

  @inlinable public mutating func next() -> UInt64 {
    state &+= Self.increment
    return Self.mix(state)
  }

  /// The output function alone: a counter-based hash, for draws that must not depend on their order.
  @inlinable public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
