import Foundation
import NN
import Orchestrator
import Spec
import TestSupport
import Testing
import TrainerProtocol
import Trainers
import World

@testable import VL

/// Collects what a trainer logs.
final class RecordingSink: MetricsSink, @unchecked Sendable {
  var curves: [(Int, [String: Double])] = []
  var finals: [String: Double] = [:]
  func log(step: Int?, _ values: [String: Double]) throws {
    if let step { curves.append((step, values)) } else { finals.merge(values) { $1 } }
  }
}

enum SmokeWorld {
  static let view = WorldView(WorldData.build(seed: 0, scale: .smoke))
}

@Suite(.serialized) struct PipelineTests {
  func config(_ arch: String) -> ConfigValue {
    [
      "world": ["scale": "smoke", "seed": 0],
      "model": ["arch": .string(arch), "size": "base"],
      "bert_init": true,
      "pretrain": [
        "enabled": true, "mlm_visual_clues": true, "mrc_linguistic_clues": true,
        "sentence_image_relation": true,
        "text_only_corpus": true, "tune_extractor": true, "early_fusion": .bool(arch != "visualbert"),
        "region_naming": .bool(arch == "vlbert"),
      ],
      "finetune": ["tasks": ["vcr", "vqa", "refcoco"], "epoch_scale": 0.5],
      "train": [
        "batch_size": 8, "bert_init_steps": 2, "pretrain_steps": 2, "vqa_epochs": 0.2, "vcr_epochs": 0.2,
        "refcoco_epochs": 0.2,
      ],
      "attention_samples": 2,
      "seed": 1,
    ]
  }

  static let expected = [
    "vcr/q2a_val", "vcr/qa2r_val", "vcr/q2ar_val", "vcr/q2a_test", "vcr/qa2r_test", "vcr/q2ar_test",
    "vqa/val",
    "vqa/test", "refcoco/gt_val", "refcoco/gt_testA", "refcoco/gt_testB", "refcoco/det_val",
    "refcoco/det_testA",
    "refcoco/det_testB", "pretrain/mlm_acc_val", "pretrain/mlm_acc_blank_val", "pretrain/category_acc_val",
    "pretrain/category_acc_blank_val", "pretrain/colour_acc_val", "pretrain/texture_acc_blank_val",
    "pretrain/mlm_acc_textonly_val", "pretrain/size_acc_val", "pretrain/other_acc_blank_val",
    "pretrain/mrc_acc_val", "pretrain/mrc_acc_nocaption_val", "pretrain/sir_acc_val",
    "pretrain/cloze_acc_val",
    "bert_init/cloze_acc_val", "pretrain/colour_probe_before_val", "pretrain/colour_probe_after_val",
    "vqa/colour_probe_before_val", "vqa/texture_probe_after_val", "refcoco/colour_probe_after_val",
    "vcr/texture_probe_before_val",
  ]

  @Test(arguments: ["vlbert", "visualbert", "vilbert"])
  func smokePipelineRunsEndToEndAndReusesStages(arch: String) throws {
    let dir = try TemporaryDirectory()
    let settings = try VLBERTTrainer().settings(from: config(arch))
    let cache = try StageCache(root: dir.url.appendingPathComponent("stages"))
    let sink = RecordingSink()
    let output = dir.url.appendingPathComponent("out")
    let finals = try VLPipeline(settings: settings, view: SmokeWorld.view, cache: cache, metrics: sink).run(
      output: output)
    for key in Self.expected {
      let value = try #require(finals[key], "missing \(key)")
      #expect(value >= 0 && value <= 100, "\(key) = \(value)")
    }
    #expect(finals["stages/reused"] == 0)
    for stage in ["bert_init", "pretrain", "vcr", "vqa", "refcoco"] {
      #expect((finals["time/\(stage)_s"] ?? 0) > 0)
    }
    let curveKeys = Set(sink.curves.flatMap(\.1.keys))
    for key in [
      "bert_init/loss", "pretrain/loss", "pretrain/mlm_loss", "pretrain/mrc_loss", "pretrain/sir_loss",
      "pretrain/lr", "vcr/loss", "vqa/loss", "refcoco/loss", "vqa/lr",
    ] {
      #expect(curveKeys.contains(key), "no curve \(key)")
    }
    #expect(curveKeys.contains("pretrain/naming_loss") == (arch == "vlbert"))
    // Attention maps: float32 [layers, heads, L, L] after a 10-byte-aligned npy header, and their tokens.
    let files = try FileManager.default.contentsOfDirectory(
      atPath: output.appendingPathComponent("attention").path)
    let json = try #require(files.first { $0.hasSuffix(".json") })
    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: output.appendingPathComponent("attention/\(json)"))) as! [String: Any]
    let tokens = meta["tokens"] as! [String]
    let (layers, heads) = (meta["layers"] as! Int, meta["heads"] as! Int)
    let npy = try Data(
      contentsOf: output.appendingPathComponent(
        "attention/" + json.replacingOccurrences(of: ".json", with: ".npy")))
    let headerLength = Int(npy[8]) | Int(npy[9]) << 8
    #expect(npy.count - 10 - headerLength == 4 * layers * heads * tokens.count * tokens.count)
    #expect((meta["kinds"] as! [String]).count == tokens.count)

    // The same cell again: every stage is reused, the results and curves are the same.
    let again = RecordingSink()
    let second = try VLPipeline(settings: settings, view: SmokeWorld.view, cache: cache, metrics: again).run(
      output: output)
    #expect(second["stages/reused"] == 5)
    for key in Self.expected { #expect(second[key] == finals[key]) }
    // A reused stage re-emits the curve its training logged live, point for point.
    #expect(again.curves.map(\.0) == sink.curves.map(\.0))
    #expect(again.curves.map(\.1) == sink.curves.map(\.1))
  }

  /// A stage logs its curve while it trains, not when it ends: a sink that refuses the first point stops the
  /// first stage before it is published.
  @Test func aStageLogsItsCurveWhileItTrains() throws {
    final class RefusingSink: MetricsSink {
      struct Refused: Error {}
      func log(step: Int?, _ values: [String: Double]) throws { if step != nil { throw Refused() } }
    }
    let dir = try TemporaryDirectory()
    let root = dir.url.appendingPathComponent("stages")
    let cache = try StageCache(root: root)
    let settings = try VLBERTTrainer().settings(from: config("vlbert"))
    #expect(throws: RefusingSink.Refused.self) {
      try VLPipeline(settings: settings, view: SmokeWorld.view, cache: cache, metrics: RefusingSink()).run(
        output: dir.url.appendingPathComponent("out"))
    }
    let published = try FileManager.default.contentsOfDirectory(atPath: root.path).filter {
      !$0.hasPrefix(".") && !$0.hasSuffix(".lock")
    }
    #expect(published.isEmpty, "published before its curve was logged: \(published)")
  }

  /// One code version keys the stages and, through the trainer identity, the cells: a pipeline change re-runs
  /// the cells whose code changed instead of skipping them.
  @Test func thePipelineVersionKeysStagesAndCells() throws {
    let spec = try ExperimentSpec.parse(
      yaml: "name: v\ntrainer: {builtin: vlbert}\nbaseline: {world: {scale: smoke}}\nseeds: [1]\n",
      file: "v.yaml")
    func cellIDs(_ trainer: VLBERTTrainer) throws -> [String] {
      let launch = try TrainerLaunch.resolve(spec, registry: BuiltinRegistry([trainer]), executable: "ablate")
      return spec.cells(trainerIdentity: launch.identity).map(\.id)
    }
    #expect(VLBERTTrainer().version == VLPipeline.codeVersion)
    #expect(try cellIDs(VLBERTTrainer()) == cellIDs(VLBERTTrainer()))
    #expect(try cellIDs(VLBERTTrainer()) != cellIDs(VLBERTTrainer(version: VLPipeline.codeVersion + "+1")))

    // The same version reaches the stages: a pipeline of another version shares none of them.
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url.appendingPathComponent("stages"))
    var settings = try VLBERTTrainer().settings(from: config("vlbert"))
    settings.tasks = [.vqa]
    settings.pretrain.enabled = false
    settings.attentionSamples = 0
    let output = dir.url.appendingPathComponent("out")
    for version in ["a", "b"] {
      _ = try VLPipeline(
        settings: settings, view: SmokeWorld.view, cache: cache, metrics: RecordingSink(),
        codeVersion: version
      ).run(output: output)
    }
    let stages = try FileManager.default.contentsOfDirectory(atPath: cache.root.path).filter {
      !$0.hasPrefix(".") && !$0.hasSuffix(".lock")
    }
    #expect(stages.count == 4)  // bert_init and vqa, twice
  }

  @Test func badConfigIsOneClearError() {
    #expect(throws: ConfigError.self) {
      try VLBERTTrainer().settings(from: ["pretrain": ["region_attributes": true]])
    }
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["model": ["arch": "bert"]]) }
    #expect(throws: ConfigError.self) {
      try VLBERTTrainer().settings(from: ["finetune": ["tasks": ["vqa", "gqa"]]])
    }
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["pretrain": ["enabled": "yes"]]) }
  }
}
