import Foundation
import Orchestrator
import Spec
import Testing
import TrainerProtocol
import Trainers

/// Collects what a trainer logs.
final class Recorder: MetricsSink {
  var lines: [(step: Int?, values: [String: Double])] = []
  func log(step: Int?, _ values: [String: Double]) throws { lines.append((step, values)) }
  func last(_ name: String) -> Double? { lines.last { $0.values[name] != nil }?.values[name] }
}

@Suite struct LogisticRegressionTests {
  func train(_ config: ConfigValue) throws -> Recorder {
    let recorder = Recorder()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try LogisticRegression().train(config: config, output: dir, metrics: recorder)
    return recorder
  }

  @Test func learnsAndItsKnobsMatter() throws {
    let easy = try train(["lr": 0.5, "epochs": 60, "noise": 0.5, "seed": 1])
    let hard = try train(["lr": 0.5, "epochs": 60, "noise": 3.0, "seed": 1])
    #expect(easy.lines.filter { $0.step != nil }.count == 60)
    #expect(try #require(easy.last("val_acc")) > 0.95)
    #expect(try #require(hard.last("val_acc")) < 0.8)
    let losses = easy.lines.compactMap { $0.values["loss"] }
    #expect(losses.last! < losses.first!)
  }

  @Test func deterministicPerSeed() throws {
    let a = try train(["epochs": 10, "seed": 7])
    let b = try train(["epochs": 10, "seed": 7])
    let c = try train(["epochs": 10, "seed": 8])
    #expect(a.last("loss") == b.last("loss"))
    #expect(a.last("loss") != c.last("loss"))
  }

  @Test func rejectsBadKnobs() {
    #expect(throws: ConfigError.self) { try train(["epochs": 0]) }
    #expect(throws: ConfigError.self) { try train(["lr": "fast"]) }
  }
}
