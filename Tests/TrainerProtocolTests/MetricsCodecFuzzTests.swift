import Foundation
import Primitives
import Testing

@testable import TrainerProtocol

/// A trainer is untrusted input: the metrics reader must take any bytes without trapping, recursing without
/// bound or buffering without bound. A property test over random bytes and structured mutations of valid lines.
@Suite struct MetricsCodecFuzzTests {
  /// SplitMix64: a reproducible stream, so a failing case can be replayed from its seed.
  typealias Random = SplitMix64

  static let alphabet = Array(#"{}[]":,.-+eE0123456789 \ntfalsrunNIiy"#.utf8) + [0x00, 0xFF, 0xC3, 0x80]

  static func randomLine(_ rng: inout Random) -> MetricsLine {
    let names = ["loss", "acc", "val/acc", "weird \"q\"", "ünï", "tab\tname", "step_", ""]
    var values: [(name: String, value: Double)] = []
    for _ in 0..<Int.random(in: 0...4, using: &rng) {
      let value: Double
      switch Int.random(in: 0...5, using: &rng) {
      case 0: value = .nan
      case 1: value = Bool.random(using: &rng) ? .infinity : -.infinity
      case 2: value = Double(bitPattern: rng.next())
      case 3: value = .greatestFiniteMagnitude
      default: value = Double.random(in: -1e6...1e6, using: &rng)
      }
      if value.isFinite || value.isNaN || value.isInfinite {
        values.append((names.randomElement(using: &rng)!, value))
      }
    }
    let step =
      Bool.random(using: &rng) ? Int.random(in: -MetricsLine.maxStep...MetricsLine.maxStep, using: &rng) : nil
    return MetricsLine(step: step, values: values)
  }

  static func mutate(_ bytes: [UInt8], _ rng: inout Random) -> [UInt8] {
    var out = bytes
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      let at = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
      switch Int.random(in: 0...5, using: &rng) {
      case 0: if !out.isEmpty { out.remove(at: at) }
      case 1: out.insert(alphabet.randomElement(using: &rng)!, at: at)
      case 2: if !out.isEmpty { out[at] = UInt8.random(in: 0...255, using: &rng) }
      case 3:
        out.insert(
          contentsOf: Array(repeating: UInt8(ascii: "["), count: Int.random(in: 1...5000, using: &rng)),
          at: at)
      case 4: out.insert(contentsOf: Array("1e\(Int.random(in: 300...99999, using: &rng))".utf8), at: at)
      default: out = Array(out[at...] + out[..<at])
      }
    }
    return out
  }

  /// Every decoded line satisfies the codec's promises: steps within ±2^53, no trap.
  static func check(_ bytes: [UInt8]) {
    if let line = try? MetricsLine.decode(bytes[...]) {
      #expect(line.step.map { abs($0) <= MetricsLine.maxStep } ?? true)
    }
  }

  @Test func randomBytesNeverTrap() {
    var rng = Random(seed: 14)
    for _ in 0..<20_000 {
      let count = Int.random(in: 0...200, using: &rng)
      let bytes = (0..<count).map { _ in
        Bool.random(using: &rng)
          ? Self.alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
      }
      Self.check(bytes)
    }
  }

  @Test func encodedLinesReadBackAndTheirMutationsNeverTrap() throws {
    var rng = Random(seed: 1414)
    for _ in 0..<5_000 {
      let line = Self.randomLine(&rng)
      let bytes = Array(line.encoded().utf8)
      let back = try MetricsLine.decode(bytes[...])
      #expect(back == line, "\(line.encoded())")
      for _ in 0..<4 { Self.check(Self.mutate(bytes, &rng)) }
    }
  }

  @Test func theIssuesCrashingLinesAreProblemsNotTraps() {
    #expect(throws: MetricsLineProblem.self) {
      try MetricsLine.decode(Array(#"{"step": 1e19, "loss": 1}"#.utf8)[...])
    }
    #expect(throws: MetricsLineProblem.self) { try MetricsLine.decode(Array(#"{"step": -1e300}"#.utf8)[...]) }
    #expect(throws: MetricsLineProblem.self) { try MetricsLine.decode(Array(#"{"loss": 1e999}"#.utf8)[...]) }
    let deep = Array(#"{"a": "#.utf8) + Array(repeating: UInt8(ascii: "["), count: 37_500)
    #expect(throws: MetricsLineProblem.self) { try MetricsLine.decode(deep[...]) }
    let nested = String(repeating: #"{"a":"#, count: 31) + "1" + String(repeating: "}", count: 31)
    #expect((try? MetricsLine.decode(Array(nested.utf8)[...])) != nil)
    let tooDeep = String(repeating: #"{"a":"#, count: 33) + "1" + String(repeating: "}", count: 33)
    #expect(throws: MetricsLineProblem.self) { try MetricsLine.decode(Array(tooDeep.utf8)[...]) }
    #expect(MetricsLine.parse(#"{"step": 9007199254740992, "x": 1}"#)?.step == 1 << 53)
  }
}
