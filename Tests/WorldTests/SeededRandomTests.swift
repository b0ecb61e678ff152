import Testing

@testable import World

@Test func sameSeedSameStream() {
  var a = SeededRandom(seed: 42)
  var b = SeededRandom(seed: 42)
  #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
}

@Test func splitStreamsAreIndependentOfParentUse() {
  var parent = SeededRandom(seed: 9)
  let before = parent.split("scene", 3)
  _ = parent.next()
  var x = SeededRandom(seed: 9).split("scene", 3)
  var y = before
  #expect(x.next() == y.next())
  var other = SeededRandom(seed: 9).split("scene", 4)
  var again = SeededRandom(seed: 9).split("scene", 3)
  #expect(other.next() != again.next())
}

@Test func unitIsInRangeAndRoughlyUniform() {
  var rng = SeededRandom(seed: 1)
  let xs = (0..<10_000).map { _ in rng.unit() }
  #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
  let m = xs.reduce(0, +) / Float(xs.count)
  #expect(abs(m - 0.5) < 0.02)
}
