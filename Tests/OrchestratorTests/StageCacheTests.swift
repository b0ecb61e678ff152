import Foundation
import Orchestrator
import Spec
import Synchronization
import TestSupport
import Testing

@Suite struct StageCacheTests {
  @Test func identityDependsOnEveryPart() {
    let base = StageCache.identity(kind: "pretrain", config: ["lr": 1], inputs: ["a"], code: "v1")
    #expect(base == StageCache.identity(kind: "pretrain", config: ["lr": 1], inputs: ["a"], code: "v1"))
    #expect(base != StageCache.identity(kind: "finetune", config: ["lr": 1], inputs: ["a"], code: "v1"))
    #expect(base != StageCache.identity(kind: "pretrain", config: ["lr": 2], inputs: ["a"], code: "v1"))
    #expect(base != StageCache.identity(kind: "pretrain", config: ["lr": 1], inputs: ["b"], code: "v1"))
    #expect(base != StageCache.identity(kind: "pretrain", config: ["lr": 1], inputs: ["a"], code: "v2"))
  }

  @Test func twoThreadsProduceOnce() throws {
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url)
    let runs = Atomic<Int>(0)
    let reused = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      let result = try? cache.stage("same") { temp in
        runs.add(1, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.05)
        try Data("done".utf8).write(to: temp.appendingPathComponent("out.txt"))
      }
      if result?.reused == true { reused.add(1, ordering: .relaxed) }
    }
    #expect(runs.load(ordering: .relaxed) == 1)
    #expect(reused.load(ordering: .relaxed) == 1)
    let text = try String(contentsOf: dir.url.appendingPathComponent("same/out.txt"), encoding: .utf8)
    #expect(text == "done")
  }

  @Test func failedStageLeavesNothing() throws {
    struct Boom: Error {}
    let dir = try TemporaryDirectory()
    let cache = try StageCache(root: dir.url)
    #expect(throws: Boom.self) { try cache.stage("x") { _ in throw Boom() } }
    #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("x").path))
    let again = try cache.stage("x") { temp in try Data().write(to: temp.appendingPathComponent("ok")) }
    #expect(!again.reused)
  }
}
