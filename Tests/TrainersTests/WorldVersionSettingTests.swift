import Foundation
import Orchestrator
import Spec
import TestSupport
import Testing
import VL
import World

@testable import Trainers

/// `world.version` selects the world's generators; version 1 keeps the stage identities it had before
/// versions existed, and any other version is part of every stage's identity.
@Suite struct WorldVersionSettingTests {
  @Test func worldVersionIsReadAndRangeChecked() throws {
    #expect(try VLBERTTrainer().settings(from: [:]).worldVersion == WorldVersion.standard)
    #expect(try VLBERTTrainer().settings(from: ["world": ["version": 2]]).worldVersion == .v2)
    #expect(try VLBERTTrainer().settings(from: ["world": ["version": 1]]).worldVersion == .v1)
    #expect(try VLBERTTrainer().settings(from: ["world": ["version": 3]]).worldVersion == .v3)
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["world": ["version": 4]]) }
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["world": ["version": 0]]) }
  }

  /// The recipe follows the world version unless `train.recipe` names one; `train.*` keys override its
  /// learning rates and epochs.
  @Test func recipeFollowsTheWorldVersion() throws {
    let v1 = try VLBERTTrainer().settings(from: ["world": ["version": 1]])
    #expect(
      v1.recipe == .legacy && v1.vcrLR == 0.02 && v1.finetuneLR == 3e-4 && v1.finetuneEpochs[.vcr] == 1.5)
    let v2 = try VLBERTTrainer().settings(from: ["world": ["version": 2]])
    #expect(v2.recipe == .paper && v2.vcrLR == 5e-3 && v2.finetuneLR == 1e-4 && v2.finetuneEpochs[.vqa] == 20)
    #expect(
      try VLBERTTrainer().settings(from: ["world": ["version": 1], "train": ["recipe": "paper"]]).recipe
        == .paper)
    #expect(
      try VLBERTTrainer().settings(from: ["world": ["version": 2], "train": ["recipe": "legacy"]]).recipe
        == .legacy)
    let tuned = try VLBERTTrainer().settings(from: [
      "world": ["version": 2], "train": ["finetune_lr": 3e-4, "vcr_epochs": 10],
    ])
    #expect(tuned.recipe == .paper && tuned.finetuneLR == 3e-4 && tuned.finetuneEpochs[.vcr] == 10)
    #expect(tuned.finetuneEpochs[.refcoco] == 20 && tuned.vcrLR == 5e-3)
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["train": ["recipe": "fast"]]) }
  }

  /// A fine-tuning stage names its recipe only when it is not the legacy one, so version 1's stages
  /// keep their identities.
  @Test func onlyNewRecipesEnterTheFineTuningIdentity() throws {
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url)
    func fineTuneConfigs(_ config: ConfigValue) throws -> [VLPipeline.FineTuneConfig] {
      let pipeline = VLPipeline(
        settings: try VLBERTTrainer().settings(from: config), view: SmokeWorld.view, cache: cache,
        metrics: RecordingSink())
      return FineTuneTask.allCases.map { pipeline.fineTuneConfig($0).own }
    }
    for c in try fineTuneConfigs(["world": ["version": 1]]) { #expect(c.recipe == nil) }
    for c in try fineTuneConfigs(["world": ["version": 2], "train": ["recipe": "legacy"]]) {
      #expect(c.recipe == nil)
    }
    for c in try fineTuneConfigs(["world": ["version": 1], "train": ["recipe": "paper"]]) {
      #expect(c.recipe == "paper")
    }
  }

  @Test func onlyLaterVersionsEnterTheStageIdentity() throws {
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url)
    func worldConfig(_ config: ConfigValue) throws -> ConfigValue? {
      let pipeline = VLPipeline(
        settings: try VLBERTTrainer().settings(from: config), view: SmokeWorld.view, cache: cache,
        metrics: RecordingSink())
      return try ConfigValue(encoding: pipeline.modelConfig.world)
    }
    #expect(try worldConfig([:]) == ["scale": "small", "seed": 0, "version": 2])
    #expect(try worldConfig(["world": ["version": 1]]) == ["scale": "small", "seed": 0])
    #expect(try worldConfig(["world": ["version": 2]]) == ["scale": "small", "seed": 0, "version": 2])
  }
}
