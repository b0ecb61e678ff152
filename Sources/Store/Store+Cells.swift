import Foundation
import GRDB

extension Store {
  /// Registers cells that are not in the store yet (as `pending`); known cells are left untouched.
  public func register(_ cells: [NewCell], now: Double = Date().timeIntervalSince1970) throws {
    try immediate { db in
      let statement = try db.makeStatement(
        sql: """
          INSERT OR IGNORE INTO cells
            (id, experiment, variant, grid_point, seed, config, config_hash, trainer, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      for cell in cells {
        try statement.execute(arguments: [
          cell.id, cell.experiment, cell.variant, cell.gridPointJSON, cell.seed, cell.configJSON,
          cell.configHash, cell.trainer, now,
        ])
      }
    }
  }

  /// Takes a cell for `owner` if it may run: pending, interrupted, running under an expired lease, or a
  /// failure when `retryFailed`; `takeOver` may declare a live lease's owner dead (a killed runner on this host). A claim starts a new attempt and drops what earlier attempts recorded.
  public func claim(
    cellID: String, owner: String, leaseSeconds: Double, retryFailed: Bool, provenanceID: Int64?,
    outputDir: (Int) -> String, takeOver: (String) -> Bool = { _ in false },
    now: Double = Date().timeIntervalSince1970
  ) throws -> ClaimOutcome {
    try immediate { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT status, attempt, lease_owner, lease_expires_at FROM cells WHERE id = ?",
          arguments: [cellID])
      else { return .missing }
      let status = CellStatus(rawValue: row["status"]) ?? .pending
      let attempt: Int = row["attempt"]
      switch status {
      case .pending, .interrupted: break
      case .done: return .settled(.done)
      // Another executor (a Slurm array) owns it until its result is ingested or it is cancelled.
      case .queued: return .settled(.queued)
      case .failed, .diverged, .timedOut: if !retryFailed { return .settled(status) }
      case .running:
        let expires: Double = row["lease_expires_at"] ?? 0
        let holder: String = row["lease_owner"] ?? ""
        if expires > now && holder != owner && !takeOver(holder) {
          return .busy(owner: holder, expiresAt: expires)
        }
      }
      let next = attempt + 1
      try Store.clearResults(db, cellID: cellID)
      try db.execute(
        sql: """
          UPDATE cells SET status = 'running', attempt = ?, lease_owner = ?, lease_expires_at = ?,
            started_at = ?, ended_at = NULL, exit_code = NULL, error_text = NULL, duration = NULL,
            provenance_id = ?, output_dir = ?
          WHERE id = ?
          """,
        arguments: [next, owner, now + leaseSeconds, now, provenanceID, outputDir(next), cellID])
      return .claimed(attempt: next)
    }
  }

  /// Starts another attempt of a cell the caller holds (a retry after a failure).
  /// Returns the new attempt number, or nil when the lease was lost.
  public func nextAttempt(
    cellID: String, owner: String, attempt: Int, leaseSeconds: Double, outputDir: (Int) -> String,
    now: Double = Date().timeIntervalSince1970
  ) throws -> Int? {
    try immediate { db in
      guard try Store.holds(db, cellID: cellID, owner: owner, attempt: attempt) else { return nil }
      try Store.clearResults(db, cellID: cellID)
      try db.execute(
        sql: """
          UPDATE cells SET attempt = ?, lease_expires_at = ?, started_at = ?, output_dir = ?
          WHERE id = ?
          """, arguments: [attempt + 1, now + leaseSeconds, now, outputDir(attempt + 1), cellID])
      return attempt + 1
    }
  }

  /// Points one write transaction takes at most (~400 KB of chunks): no runner holds the write lock for
  /// long, however much a trainer logs at once.
  public static let pointsPerTransaction = 16 * 1024

  /// Streams curve points of a running attempt, in transactions of at most `pointsPerTransaction` points.
  /// Each point is written once: streamed here while the cell runs, or before the result by `finish`.
  /// Returns false when the caller lost the cell (batches already written stay with the attempt, which the
  /// new owner's claim drops).
  @discardableResult
  public func appendPoints(cellID: String, owner: String, attempt: Int, points: [MetricPoint]) throws -> Bool
  {
    var rest = points[...]
    while !rest.isEmpty {
      let batch = rest.prefix(Store.pointsPerTransaction)
      let held = try immediate { db in
        guard try Store.holds(db, cellID: cellID, owner: owner, attempt: attempt) else { return false }
        try CurveChunk.append(db, cellID: cellID, attempt: attempt, points: batch)
        return true
      }
      if !held { return false }
      rest = rest.dropFirst(batch.count)
    }
    return true
  }

  /// Extends the caller's lease. Returns false when the caller no longer holds the cell.
  public func renewLease(
    cellID: String, owner: String, attempt: Int, leaseSeconds: Double,
    now: Double = Date().timeIntervalSince1970
  ) throws -> Bool {
    try immediate { db in
      try db.execute(
        sql: """
          UPDATE cells SET lease_expires_at = ?
          WHERE id = ? AND lease_owner = ? AND attempt = ? AND status = 'running'
          """, arguments: [now + leaseSeconds, cellID, owner, attempt])
      return db.changesCount == 1
    }
  }

  /// Records an attempt's outcome: the points not streamed yet (bounded transactions, as `appendPoints`),
  /// then status, final values and artifacts in one transaction, so a cell is `done` only with all its curve.
  /// Returns false, writing no status, when the caller no longer holds the cell.
  @discardableResult
  public func finish(cellID: String, owner: String, attempt: Int, result: AttemptResult) throws -> Bool {
    guard try appendPoints(cellID: cellID, owner: owner, attempt: attempt, points: result.points) else {
      return false
    }
    return try immediate { db in
      guard try Store.holds(db, cellID: cellID, owner: owner, attempt: attempt) else { return false }
      try db.execute(sql: "DELETE FROM metrics_final WHERE cell_id = ?", arguments: [cellID])
      try db.execute(sql: "DELETE FROM artifacts WHERE cell_id = ?", arguments: [cellID])
      let final = try db.makeStatement(
        sql: "INSERT OR REPLACE INTO metrics_final (cell_id, name, value, step) VALUES (?, ?, ?, ?)")
      for f in result.finals {
        try final.execute(arguments: [cellID, f.name, f.value.isNaN ? nil : f.value, f.step])
      }
      let artifact = try db.makeStatement(
        sql: "INSERT OR REPLACE INTO artifacts (cell_id, path, sha256, bytes) VALUES (?, ?, ?, ?)")
      for a in result.artifacts {
        try artifact.execute(arguments: [cellID, a.path, a.sha256, a.bytes])
      }
      try db.execute(
        sql: """
          UPDATE cells SET status = ?, exit_code = ?, error_text = ?, ended_at = ?, duration = ?,
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ?
          """,
        arguments: [
          result.status.rawValue, result.exitCode, result.errorText, result.endedAt, result.duration, cellID,
        ])
      return true
    }
  }

  /// Hands back a claimed attempt that never started (its directory or process could not be made): the cell
  /// is as it was before the claim, pending. Returns false when the caller no longer held it.
  @discardableResult
  public func release(cellID: String, owner: String, attempt: Int) throws -> Bool {
    try immediate { db in
      guard try Store.holds(db, cellID: cellID, owner: owner, attempt: attempt) else { return false }
      try Store.clearResults(db, cellID: cellID)
      try db.execute(
        sql: """
          UPDATE cells SET status = 'pending', attempt = attempt - 1, lease_owner = NULL,
            lease_expires_at = NULL, started_at = NULL, output_dir = NULL
          WHERE id = ?
          """, arguments: [cellID])
      return true
    }
  }

  /// Marks every cell `owner` still runs as `interrupted`, in one transaction; returns how many.
  @discardableResult
  public func interrupt(owner: String, now: Double = Date().timeIntervalSince1970) throws -> Int {
    try immediate { db in
      let ids = try String.fetchAll(
        db, sql: "SELECT id FROM cells WHERE status = 'running' AND lease_owner = ?", arguments: [owner])
      for id in ids { try Store.clearResults(db, cellID: id) }
      try db.execute(
        sql: """
          UPDATE cells SET status = 'interrupted', ended_at = ?, lease_owner = NULL, lease_expires_at = NULL,
            error_text = 'interrupted'
          WHERE status = 'running' AND lease_owner = ?
          """, arguments: [now, owner])
      return ids.count
    }
  }

  static func holds(_ db: Database, cellID: String, owner: String, attempt: Int) throws -> Bool {
    try Bool.fetchOne(
      db,
      sql: "SELECT 1 FROM cells WHERE id = ? AND lease_owner = ? AND attempt = ? AND status = 'running'",
      arguments: [cellID, owner, attempt]) ?? false
  }

  static func clearResults(_ db: Database, cellID: String) throws {
    try db.execute(sql: "DELETE FROM curve_chunks WHERE cell_id = ?", arguments: [cellID])
    try db.execute(sql: "DELETE FROM metrics_final WHERE cell_id = ?", arguments: [cellID])
    try db.execute(sql: "DELETE FROM artifacts WHERE cell_id = ?", arguments: [cellID])
  }
}
