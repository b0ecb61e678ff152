import Foundation
import Testing

/// Built worlds are cached beside the store, never in the working directory: a trainer runs in its spec's
/// folder, yet it and `ablate world` (with the same store and default seed) share one cache.
@Suite struct WorldCacheTests {
  @Test func theWorldCacheLivesBesideTheStoreWhateverTheWorkingDirectory() throws {
    let cli = try CLI()
    try cli.write(
      "specs/w.yaml",
      """
      name: w
      trainer: {builtin: vlbert}
      baseline:
        world: {scale: smoke}
        bert_init: false
        pretrain: {enabled: false}
        finetune: {tasks: [vqa]}
        train: {batch_size: 8, vqa_epochs: 0.2}
        attention_samples: 0
      seeds: [1]

      """)
    let run = try cli.run("run", "specs/w.yaml")
    #expect(run.status == 0, "\(run.stderr)")
    let cache = cli.root + "/.ablate/cache"
    let worlds = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
    #expect(worlds.count == 1 && worlds[0].hasPrefix("world-smoke-0-v"), "\(worlds)")
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/specs/.ablate"))

    let world = try cli.run("world", "stats", "--scale", "smoke")
    #expect(world.status == 0, "\(world.stderr)")
    #expect(world.stderr.contains("reusing \(cache)/world-smoke-0-v"), "\(world.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache) == worlds)
  }
}
