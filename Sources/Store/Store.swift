import Foundation
import GRDB

/// The experiment store: one SQLite file in WAL mode, shared safely by concurrent runners.
///
/// Every write that changes a cell's state runs in a `BEGIN IMMEDIATE` transaction so that two processes
/// never both claim or both finish the same cell. Commands that only read open it `.readOnly`: no lock file,
/// no migration, no write of any kind, so they work on a read-only filesystem and, as WAL readers, never wait
/// on a runner's write lock.
public final class Store: Sendable {
  /// The newest schema this build understands; kept in `PRAGMA user_version`.
  public static let schemaVersion = 3
  /// Where `ablate` keeps its store unless told otherwise.
  public static let defaultPath = ".ablate/ablate.db"

  /// How a command uses the store.
  public enum Access: Sendable {
    /// Creates and migrates as needed; runners.
    case readWrite
    /// Reads what is there, as it is; every listing command.
    case readOnly
  }

  public let path: String
  let reader: any DatabaseReader
  let writer: DatabasePool?
  /// The schema version found when the store was opened (after any migration).
  let openedVersion: Int
  /// Curves are packed chunks (v2); false for a v1 store opened read-only, which keeps one row a point.
  let compactCurves: Bool

  /// Opens the store at `path`. `.readWrite` creates it when needed and migrates an older schema; both
  /// refuse a newer one. Every failure is a `StoreError` naming its cause.
  public init(path: String, access: Access = .readWrite) throws {
    self.path = path
    do {
      switch access {
      case .readWrite:
        let pool = try Store.openForWriting(path: path)
        writer = pool
        reader = pool
      case .readOnly:
        writer = nil
        reader = try Store.openForReading(path: path)
      }
      (openedVersion, compactCurves) = try reader.read { db in
        (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0, try db.tableExists("curve_chunks"))
      }
    } catch {
      throw StoreError(path: path, error)
    }
    if openedVersion > Store.schemaVersion {
      throw StoreError(
        path: path,
        message:
          "store schema version \(openedVersion) is newer than this ablate supports (\(Store.schemaVersion)); upgrade ablate"
      )
    }
  }

  static func openForWriting(path: String) throws -> DatabasePool {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw StoreError(
        path: path, message: "cannot create the store's directory: \(error.localizedDescription)")
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(30)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    // An up-to-date store is opened without taking any lock: a runner never queues behind another's writes.
    // Up to date means every migration applied, not a version number: two builds may both call theirs 2.
    // Anything else (no file yet, one being created or migrated right now) takes the slow path below.
    if Store.isWAL(path: path),
      let pool = try? DatabasePool(path: path, configuration: configuration),
      (try? pool.read({ db in try Store.migrator.hasCompletedMigrations(db) })) == true
    {
      return pool
    }
    // Two runners may create or upgrade the same store at once: open and migrate under an exclusive file lock
    // (switching a new file to WAL while another process does fails at once with SQLITE_BUSY).
    let lockFD = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard lockFD >= 0 else {
      throw StoreError(path: path, message: "cannot create \(path).lock: \(String(cString: strerror(errno)))")
    }
    defer { close(lockFD) }
    flock(lockFD, LOCK_EX)
    defer { flock(lockFD, LOCK_UN) }
    if !FileManager.default.fileExists(atPath: path) {
      try Store.create(path: path, configuration: configuration)
    }
    let pool = try DatabasePool(path: path, configuration: configuration)
    let converting = try pool.read { db in try db.tableExists("metric_points") }
    try Store.migrator.migrate(pool)
    // The one-row-a-point table's pages went to the free list; hand them back to the filesystem (best
    // effort: VACUUM needs room for a copy, and a full disk is no reason to refuse the store).
    if converting, try pool.read({ db in try !db.tableExists("metric_points") }) {
      try? pool.vacuum()
      _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
    try pool.write { db in
      let now = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      if now < Store.schemaVersion { try db.execute(sql: "PRAGMA user_version = \(Store.schemaVersion)") }
    }
    return pool
  }

  /// Creates a new store atomically: it is built and migrated beside `path`, then renamed into place, so a
  /// store file is always a whole store (a full disk during creation left one with no tables, read as damaged).
  /// Runs under the creation lock; a staging file a killed creator left is discarded.
  static func create(path: String, configuration: Configuration) throws {
    let staging = path + ".creating"
    func discard() {
      for suffix in ["", "-wal", "-shm"] { unlink(staging + suffix) }
    }
    discard()
    do {
      let pool = try DatabasePool(path: staging, configuration: configuration)
      try Store.migrator.migrate(pool)
      try pool.write { db in try db.execute(sql: "PRAGMA user_version = \(Store.schemaVersion)") }
      // Everything into the main file (synced), so the file alone is the store once renamed.
      try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
      try pool.close()
    } catch {
      discard()
      throw error
    }
    guard rename(staging, path) == 0 else {
      let cause = String(cString: strerror(errno))
      discard()
      throw StoreError(path: path, message: "cannot create the store: \(cause)")
    }
    discard()
    let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      fsync(directory)
      close(directory)
    }
  }

  /// The file is an SQLite database already in WAL mode (header bytes 18 and 19 are 2): opening it touches
  /// nothing, where opening a new or rollback-journal file would switch its journal mode.
  static func isWAL(path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return false }
    return header.starts(with: Array("SQLite format 3\u{0}".utf8)) && header[18] == 2 && header[19] == 2
  }

  /// A read-only connection; where SQLite cannot create the WAL index (a read-only filesystem, or a full disk,
  /// where it fails as an I/O error), the file is read as immutable (nothing can be writing it there).
  static func openForReading(path: String) throws -> DatabaseQueue {
    guard FileManager.default.fileExists(atPath: path) else {
      throw StoreError(path: path, message: "no store here yet; run a spec first or pass --store")
    }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(5)
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
      return queue
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY
      || (error.resultCode == .SQLITE_IOERR
        && DiskSpace.isFull(at: URL(fileURLWithPath: path).deletingLastPathComponent().path))
    {
      let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
      let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
      return try DatabaseQueue(path: "file:\(escaped)?mode=ro&immutable=1", configuration: configuration)
    }
  }

  /// The schema version recorded in the file.
  public func version() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
  }

  /// Runs `body` in a read transaction, with SQLite's errors named for the user.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try reader.read(body) } catch { throw StoreError(path: path, error) }
  }

  /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken before the first read.
  func immediate<T>(_ body: (Database) throws -> T) throws -> T {
    guard let writer else { throw StoreError(path: path, message: "opened read-only; this command writes") }
    do {
      return try writer.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    } catch {
      throw StoreError(path: path, error)
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
    migrator.registerMigration("v2-compact-curves", migrate: migrateToCompactCurves)
    registerSlurmMigration(&migrator)
    return migrator
  }
}
