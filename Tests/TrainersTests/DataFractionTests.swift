import Foundation
import Orchestrator
import Spec
import TestSupport
import Testing
import Trainers
import World

@testable import VL

/// `finetune.data_fraction`: fine-tuning on the first share of a training set, or on a world with k times
/// the training sets; a fraction the world cannot give is refused before anything runs.
@Suite(.serialized) struct DataFractionTests {
  func settings(_ fraction: Double) throws -> VLSettings {
    try VLBERTTrainer().settings(from: [
      "world": ["scale": "smoke", "seed": 0], "pretrain": ["enabled": false],
      "finetune": ["tasks": ["vqa"], "data_fraction": .double(fraction)],
      "train": ["batch_size": 8, "bert_init_steps": 2, "vqa_epochs": 0.5], "attention_samples": 0, "seed": 1,
    ])
  }

  func run(_ fraction: Double, view: WorldView, cache: StageCache) throws -> [String: Double] {
    try VLPipeline(settings: settings(fraction), view: view, cache: cache, metrics: RecordingSink()).run(
      output: cache.root.deletingLastPathComponent().appendingPathComponent("out"))
  }

  @Test func aFractionTrainsOnTheFirstItemsAndAMultipleOnALargerWorld() throws {
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url.appendingPathComponent("stages"))
    let all = SmokeWorld.view.world.vqa.filter { $0.split == .train }.count
    let quarter = try run(0.25, view: SmokeWorld.view, cache: cache)
    #expect(quarter["vqa/train_items"] == Double((Double(all) / 4).rounded()))
    let whole = try run(1, view: SmokeWorld.view, cache: cache)
    #expect(whole["vqa/train_items"] == Double(all))
    #expect(whole["stages/reused"] == 1)  // the shared BERT-init; the fraction keys the fine-tuning stage
    #expect(throws: VLPipelineError.self) { try run(4, view: SmokeWorld.view, cache: cache) }

    let four = WorldView(WorldData.build(seed: 0, scale: .smoke, finetuneMultiple: 4))
    let fourTimes = try run(4, view: four, cache: cache)
    let items = try #require(fourTimes["vqa/train_items"])
    #expect(items == Double(four.world.vqa.filter { $0.split == .train }.count) && items > 3.5 * Double(all))
    // The evaluation splits are the 1x world's.
    #expect(
      four.world.vqa.filter { $0.split != .train } == SmokeWorld.view.world.vqa.filter { $0.split != .train })
  }

  @Test func aFractionAboveOneIsAWholeNumberOfSets() throws {
    #expect(try settings(4).finetuneMultiple == 4)
    #expect(try settings(0.5).finetuneMultiple == 1)
    for bad in [2.5, 0.0, 9.0] { #expect(throws: ConfigError.self) { try settings(bad) } }
  }
}
