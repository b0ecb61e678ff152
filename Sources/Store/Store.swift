import Foundation
import GRDB

/// The experiment store: one SQLite file in WAL mode, shared safely by concurrent runners.
///
/// Every write that changes a cell's state runs in a `BEGIN IMMEDIATE` transaction so that two processes
/// never both claim or both finish the same cell.
public final class Store: Sendable {
  /// The newest schema this build understands; kept in `PRAGMA user_version`.
  public static let schemaVersion = 1
  /// Where `ablate` keeps its store unless told otherwise.
  public static let defaultPath = ".ablate/ablate.db"

  public let path: String
  let pool: DatabasePool

  /// Opens (creating when needed) the store at `path`, migrating an older schema and refusing a newer one.
  public init(path: String) throws {
    self.path = path
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw StoreError(
        path: path, message: "cannot create the store's directory: \(error.localizedDescription)")
    }
    // Two runners may create the same store at once: migrate under an exclusive file lock.
    let lockFD = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard lockFD >= 0 else { throw StoreError(path: path, message: "cannot create \(path).lock") }
    defer { close(lockFD) }
    flock(lockFD, LOCK_EX)
    defer { flock(lockFD, LOCK_UN) }
    var configuration = Configuration()
    configuration.busyMode = .timeout(30)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
    } catch {
      throw StoreError(path: path, message: "cannot open the store: \(error)")
    }
    let found = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    if found > Store.schemaVersion {
      throw StoreError(
        path: path,
        message:
          "store schema version \(found) is newer than this ablate supports (\(Store.schemaVersion)); upgrade ablate"
      )
    }
    try Store.migrator.migrate(pool)
    try pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA user_version = \(Store.schemaVersion)")
    }
  }

  /// The schema version recorded in the file.
  public func version() throws -> Int {
    try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
  }

  /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken before the first read.
  func immediate<T>(_ body: (Database) throws -> T) throws -> T {
    try pool.writeWithoutTransaction { db in
      var result: T?
      try db.inTransaction(.immediate) {
        result = try body(db)
        return .commit
      }
      return result!
    }
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-cells-metrics-provenance") { db in
      try db.execute(
        sql: """
          CREATE TABLE diffs (
            sha256 TEXT PRIMARY KEY NOT NULL,
            patch TEXT NOT NULL
          );
          CREATE TABLE provenance (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            hash TEXT NOT NULL UNIQUE,
            json TEXT NOT NULL,
            diff_sha256 TEXT REFERENCES diffs(sha256)
          );
          CREATE TABLE invocations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            command_line TEXT NOT NULL,
            started_at REAL NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            owner TEXT NOT NULL,
            provenance_id INTEGER REFERENCES provenance(id)
          );
          CREATE TABLE cells (
            id TEXT PRIMARY KEY NOT NULL,
            experiment TEXT NOT NULL,
            variant TEXT NOT NULL,
            grid_point TEXT NOT NULL,
            seed INTEGER NOT NULL,
            config TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            trainer TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempt INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_expires_at REAL,
            started_at REAL,
            ended_at REAL,
            exit_code INTEGER,
            error_text TEXT,
            provenance_id INTEGER REFERENCES provenance(id),
            duration REAL,
            output_dir TEXT,
            created_at REAL NOT NULL
          );
          CREATE INDEX cells_experiment ON cells(experiment, status);
          CREATE INDEX cells_status ON cells(status);
          CREATE TABLE metric_points (
            cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            name TEXT NOT NULL,
            step INTEGER,
            value REAL,
            time REAL NOT NULL
          );
          CREATE INDEX metric_points_cell ON metric_points(cell_id, name, step);
          CREATE TABLE metrics_final (
            cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value REAL,
            step INTEGER,
            PRIMARY KEY (cell_id, name)
          ) WITHOUT ROWID;
          CREATE TABLE artifacts (
            cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            PRIMARY KEY (cell_id, path)
          ) WITHOUT ROWID;
          """)
    }
    return migrator
  }
}
