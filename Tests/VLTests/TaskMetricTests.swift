import Foundation
import NN
import Testing
import World

@testable import VL

/// The downstream tasks' metric keys come from `TaskMetric`; the YAML specs name them as strings, so every
/// task key a report column names must be one some task declares, and each task returns what it declares.
@Suite(.serialized) struct TaskMetricTests {
  static let view = SmokeWorld.view

  @Test func keysAreThePublicNames() {
    #expect(TaskMetric.vqa(.test) == "vqa/test")
    #expect(TaskMetric.vcr(.qa2r, .val) == "vcr/qa2r_val")
    #expect(TaskMetric.refcoco(.det, .testA) == "refcoco/det_testA")
    #expect(TaskMetric.baseline(of: TaskMetric.vcr(.q2a, .val)) == "baseline/vcr_q2a_val")
    #expect(TaskMetric.baseline(of: TaskMetric.vqa(.val)) == "baseline/vqa_val")
    #expect(FineTuneTask.allCases.map { $0.type.name } == FineTuneTask.allCases)
  }

  /// Each task evaluates exactly its `metricKeys` (an untrained model: the keys, not the values).
  @Test(arguments: FineTuneTask.allCases) func evaluationReturnsTheDeclaredKeys(task: FineTuneTask) throws {
    var settings = VLSettings()
    settings.scale = .smoke
    let fine = FineTuning(task: task, view: Self.view, settings: settings)
    let model = VLModel(
      settings: settings, vocabulary: Self.view.vocabulary, detector: Self.view.world.detector?.network,
      generator: RandomGenerator(seed: 5))
    let head = TaskHead(
      hidden: settings.size.hidden, outputs: fine.downstream.headOutputs, generator: RandomGenerator(seed: 9))
    let metrics = fine.evaluate(model: model, head: head)
    #expect(Set(metrics.keys) == Set(fine.downstream.metricKeys))
    #expect(metrics.values.allSatisfy { $0 >= 0 && $0 <= 100 })
    for key in fine.majorityBaseline().keys {
      #expect(key.hasPrefix("baseline/\(task.rawValue)_"))
    }
  }

  /// Every `metric:` of a report column in experiments/*.yaml under a task's prefix is a key VL writes.
  @Test func specColumnsNameDeclaredKeys() throws {
    let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../experiments").standardizedFileURL
    var declared: Set<String> = []
    for task in FineTuneTask.allCases {
      let downstream = task.on(Self.view)
      declared.formUnion(downstream.metricKeys)
      declared.formUnion(downstream.majorityBaseline().keys)
      declared.insert(Diagnostic.trainItems(task.rawValue))
    }
    let prefixes = FineTuneTask.allCases.map { "\($0.rawValue)/" } + ["baseline/"]
    var named: [String] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: experiments.path)
    where file.hasSuffix(".yaml") {
      let text = try String(contentsOf: experiments.appendingPathComponent(file), encoding: .utf8)
      for match in text.matches(of: /metric:\s*([A-Za-z0-9_\/]+)/) {
        let key = String(match.1)
        if prefixes.contains(where: key.hasPrefix) { named.append(key) }
      }
    }
    #expect(named.count > 20)
    #expect(named.filter { !declared.contains($0) } == [])
  }
}

/// A stage's curve from `VLModel.train`: one point per update, the rate and the body's values under the prefix.
@Test func stageTrainingRecordsEveryUpdate() throws {
  var settings = VLSettings()
  settings.scale = .smoke
  let view = SmokeWorld.view
  let model = VLModel(
    settings: settings, vocabulary: view.vocabulary, detector: view.world.detector?.network,
    generator: RandomGenerator(seed: 5))
  let task = Pretraining(factors: PretrainFactors(), view: view, batchSize: 4)
  let g = RandomGenerator(seed: 6)
  let schedule = Schedule.linearWarmupDecay(peak: 1e-3, warmupSteps: 1, totalSteps: 3)
  let curve = try model.train(
    tuneExtractor: false, steps: 3, schedule: schedule, optimizer: .adamw, prefix: "p"
  ) {
    _ in task.loss(model, task.sample(generator: g), tuneExtractor: false)
  }
  #expect(curve.points.map(\.step) == [1, 2, 3])
  #expect(curve.points.map { $0.values["p/lr"] } == (0..<3).map { Double(schedule.learningRate(at: $0)) })
  #expect(
    curve.points.allSatisfy { ($0.values["p/loss"] ?? .nan).isFinite && $0.values["p/mlm_loss"] != nil })
}
