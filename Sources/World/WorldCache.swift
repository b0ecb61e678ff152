import Foundation

/// The built world on disk, keyed by (scale, seed, world version, fine-tuning multiple); built once, then
/// reused.
public enum WorldCache {
  /// `world-<scale>-<seed>-v<version>` under `root` (a store's `cache/`), `-finetune-x<k>` appended for a
  /// world with k times the fine-tuning training sets.
  public static func directory(
    root: URL, scale: WorldScale, seed: UInt64, version: WorldVersion = .standard, finetuneMultiple: Int = 1
  ) -> URL {
    let name = "world-\(scale.rawValue)-\(seed)-v\(version.rawValue)"
    return root.appendingPathComponent(
      finetuneMultiple == 1 ? name : "\(name)-finetune-x\(finetuneMultiple)", isDirectory: true)
  }

  /// The world a spec and `ablate world` get when they name no seed.
  public static let defaultSeed: UInt64 = 0

  /// The cached world, or a freshly built one written to the cache (atomically; if another process
  /// finished the same world first, its copy is read instead).
  public static func load(
    scale: WorldScale, seed: UInt64, version: WorldVersion = .standard, finetuneMultiple: Int = 1, root: URL,
    log: (String) -> Void = { _ in }
  ) throws -> WorldData {
    let dir = directory(
      root: root, scale: scale, seed: seed, version: version, finetuneMultiple: finetuneMultiple)
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("world.json").path) {
      log("reusing \(dir.path)")
      return try WorldData(contentsOf: dir)
    }
    let world = WorldData.build(
      seed: seed, scale: scale, version: version, finetuneMultiple: finetuneMultiple, log: log)
    do {
      try world.export(to: dir)
      log("cached at \(dir.path)")
    } catch  where FileManager.default.fileExists(atPath: dir.appendingPathComponent("world.json").path) {
      return try WorldData(contentsOf: dir)
    }
    return world
  }
}
