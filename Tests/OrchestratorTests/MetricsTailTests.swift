import Foundation
import Testing

@testable import Orchestrator

/// The runner's side of the metrics codec: following a trainer's file, bad lines counted, memory bounded.
@Suite struct MetricsTailTests {
  @Test func theTailCountsBadLinesOnceAndKeepsReadingInBoundedMemory() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tail-\(UUID()).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var text = #"{"step": 1, "loss": 0.5}"# + "\n"
    text += #"{"step": 1e19, "loss": 1}"# + "\n"
    text += String(repeating: "[", count: 37_500) + "\n"
    text += "{\"k\": \"" + String(repeating: "x", count: 3 << 20) + "\"}\n"  // 3 MiB: over the line limit
    text += "\u{FF}\u{FE} not json\n"
    text += #"{"step": 2, "loss": 0.25}"# + "\n"
    text += #"{"acc": 0.9}"#  // torn: no newline until the trainer ends
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let tail = MetricsTail(path: path)
    let first = tail.poll(time: 1)
    #expect(first.map(\.value) == [0.5, 0.25])
    let last = tail.poll(time: 2, atEnd: true)
    #expect(last.map(\.name) == ["acc"])
    #expect(tail.badLines == 4)
    #expect(tail.finals.map(\.name) == ["loss", "acc"])
    let note = try #require(tail.note)
    #expect(note.hasPrefix("metrics: 4 lines of "), "\(note)")
    #expect(note.contains("line 2: step is not an integer"), "\(note)")
  }

  @Test func aLimitedPollLeavesTheRestOfTheFileForTheNextCall() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tail-\(UUID()).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let n = 100_000
    var text = (1...n).map { #"{"step": \#($0), "loss": 0.5}"# }.joined(separator: "\n")
    text += "\n" + #"{"acc": 1}"#  // torn: taken only at the end, once the file is drained
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let tail = MetricsTail(path: path)
    var steps: [Int] = []
    var calls = 0
    while true {
      let batch = tail.poll(time: 0, atEnd: true, limit: 16_384)
      if batch.isEmpty { break }
      #expect(batch.count <= 16_384)
      steps += batch.compactMap(\.step)
      calls += 1
    }
    #expect(steps == Array(1...n))
    #expect(calls == 7)
    #expect(tail.finals.map(\.name) == ["loss", "acc"])
  }
}
