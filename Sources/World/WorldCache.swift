import Foundation

/// The built world on disk, keyed by (scale, seed, world version); built once, then reused.
public enum WorldCache {
  /// `world-<scale>-<seed>-v<version>` under `root` (a store's `cache/`).
  public static func directory(root: URL, scale: WorldScale, seed: UInt64, version: WorldVersion = .standard)
    -> URL
  {
    root.appendingPathComponent("world-\(scale.rawValue)-\(seed)-v\(version.rawValue)", isDirectory: true)
  }

  /// The world a spec and `ablate world` get when they name no seed.
  public static let defaultSeed: UInt64 = 0

  /// The cached world, or a freshly built one written to the cache (atomically; if another process
  /// finished the same world first, its copy is read instead).
  public static func load(
    scale: WorldScale, seed: UInt64, version: WorldVersion = .standard, root: URL,
    log: (String) -> Void = { _ in }
  ) throws -> WorldData {
    let dir = directory(root: root, scale: scale, seed: seed, version: version)
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("world.json").path) {
      log("reusing \(dir.path)")
      return try WorldData(contentsOf: dir)
    }
    let world = WorldData.build(seed: seed, scale: scale, version: version, log: log)
    do {
      try world.export(to: dir)
      log("cached at \(dir.path)")
    } catch  where FileManager.default.fileExists(atPath: dir.appendingPathComponent("world.json").path) {
      return try WorldData(contentsOf: dir)
    }
    return world
  }
}
