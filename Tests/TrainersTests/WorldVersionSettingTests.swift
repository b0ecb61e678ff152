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
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["world": ["version": 3]]) }
    #expect(throws: ConfigError.self) { try VLBERTTrainer().settings(from: ["world": ["version": 0]]) }
  }

  @Test func onlyLaterVersionsEnterTheStageIdentity() throws {
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url)
    func worldConfig(_ config: ConfigValue) throws -> ConfigValue? {
      let pipeline = VLPipeline(
        settings: try VLBERTTrainer().settings(from: config), view: SmokeWorld.view, cache: cache,
        metrics: RecordingSink())
      return pipeline.modelConfig["world"]
    }
    #expect(try worldConfig([:]) == ["scale": "small", "seed": 0])
    #expect(try worldConfig(["world": ["version": 1]]) == ["scale": "small", "seed": 0])
    #expect(try worldConfig(["world": ["version": 2]]) == ["scale": "small", "seed": 0, "version": 2])
  }
}
