import Testing

@testable import VL

/// The majority baselines' pick is a function of the data alone.
@Test func aTiedMajorityGoesToTheValueMetFirst() {
  #expect(mode([Int]()) == nil)
  #expect(mode([3, 1, 1, 2, 3]) == 3)
  #expect(mode(["b", "a", "a"]) == "a")
  // Forty distinct values, each once: hash order would pick any of them.
  for start in 0..<20 {
    let xs = (0..<40).map { "answer-\(($0 + start * 7) % 40)" }
    #expect(mode(xs) == xs[0])
  }
}
