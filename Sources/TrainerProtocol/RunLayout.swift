import Foundation

/// Where one store's runs live on disk, all beside the store, never relative to the working directory:
///
///     <store dir>/ablate.db                      the store
///     <store dir>/cells/<cell id>/attempt-<n>/   one attempt's output (`ABLATE_OUTPUT_DIR`)
///     <store dir>/cells/<cell id>/checkpoint/    what survives the cell's attempts (`ABLATE_CHECKPOINT_DIR`)
///     <store dir>/stages/<stage id>/             content-addressed pipeline stages (`ABLATE_STAGE_DIR`)
///     <store dir>/cache/                         built worlds (`ABLATE_WORLD_CACHE`)
///
/// The runner computes it from `--store`; a trainer reads it back from the environment, so both agree
/// whichever directory the trainer runs in.
public struct RunLayout: Sendable, Hashable {
  /// The directory holding the store.
  public var root: URL

  /// The store `ablate` uses when `--store` is not given.
  public static let defaultStorePath = ".ablate/ablate.db"

  public init(storePath: String) {
    root = URL(fileURLWithPath: storePath).standardizedFileURL.deletingLastPathComponent()
  }

  /// The layout of the store in directory `root` (a compute node knows the directory, not the store).
  public init(root: URL) { self.root = root.standardizedFileURL }

  public var cells: URL { root.appendingPathComponent("cells", isDirectory: true) }
  public var stages: URL { root.appendingPathComponent("stages", isDirectory: true) }
  public var worldCache: URL { root.appendingPathComponent("cache", isDirectory: true) }

  public func cell(_ id: String) -> URL { cells.appendingPathComponent(id, isDirectory: true) }

  public func attempt(cell id: String, _ attempt: Int) -> URL {
    cell(id).appendingPathComponent("attempt-\(attempt)", isDirectory: true)
  }

  public func checkpoint(cell id: String) -> URL {
    cell(id).appendingPathComponent("checkpoint", isDirectory: true)
  }
}
