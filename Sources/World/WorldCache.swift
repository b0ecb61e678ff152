import Foundation

/// The built world on disk, keyed by (scale, seed, world version); built once, then reused.
public enum WorldCache {
  /// `.ablate/cache/world-<scale>-<seed>-v<version>` under `root`.
  public static func directory(root: URL, scale: WorldScale, seed: UInt64) -> URL {
    root.appendingPathComponent("world-\(scale.rawValue)-\(seed)-v\(worldVersion)", isDirectory: true)
  }

  public static var defaultRoot: URL {
    URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".ablate/cache")
  }

  /// The cached world, or a freshly built one written to the cache (atomically; if another process
  /// finished the same world first, its copy is read instead).
  public static func load(
    scale: WorldScale, seed: UInt64, root: URL = defaultRoot, log: (String) -> Void = { _ in }
  ) throws -> WorldData {
    let dir = directory(root: root, scale: scale, seed: seed)
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("world.json").path) {
      log("reusing \(dir.path)")
      return try WorldData(contentsOf: dir)
    }
    let world = WorldData.build(seed: seed, scale: scale, log: log)
    do {
      try world.export(to: dir)
      log("cached at \(dir.path)")
    } catch  where FileManager.default.fileExists(atPath: dir.appendingPathComponent("world.json").path) {
      return try WorldData(contentsOf: dir)
    }
    return world
  }
}
