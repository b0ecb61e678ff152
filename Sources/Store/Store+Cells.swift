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

  /// Streams curve points of a running attempt. Returns false, writing nothing, when the caller lost the cell.
  /// `finish` rewrites the attempt's points in full, so a streamed batch is never counted twice.
  @discardableResult
  public func appendPoints(cellID: String, owner: String, attempt: Int, points: [MetricPoint]) throws -> Bool
  {
    try immediate { db in
      guard try Store.holds(db, cellID: cellID, owner: owner, attempt: attempt) else { return false }
      let point = try db.makeStatement(
        sql: "INSERT INTO metric_points (cell_id, attempt, name, step, value, time) VALUES (?, ?, ?, ?, ?, ?)"
      )
      for p in points {
        try point.execute(arguments: [cellID, attempt, p.name, p.step, p.value.isNaN ? nil : p.value, p.time])
      }
      return true
    }
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

  /// Records an attempt's outcome (status, curves, final values, artifacts) in one transaction.
  /// Returns false, writing nothing, when the caller no longer holds the cell.
  @discardableResult
  public func finish(cellID: String, owner: String, attempt: Int, result: AttemptResult) throws -> Bool {
    try immediate { db in
      guard try Store.holds(db, cellID: cellID, owner: owner, attempt: attempt) else { return false }
      try Store.clearResults(db, cellID: cellID)
      let point = try db.makeStatement(
        sql: "INSERT INTO metric_points (cell_id, attempt, name, step, value, time) VALUES (?, ?, ?, ?, ?, ?)"
      )
      for p in result.points {
        try point.execute(arguments: [cellID, attempt, p.name, p.step, p.value.isNaN ? nil : p.value, p.time])
      }
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
    try db.execute(sql: "DELETE FROM metric_points WHERE cell_id = ?", arguments: [cellID])
    try db.execute(sql: "DELETE FROM metrics_final WHERE cell_id = ?", arguments: [cellID])
    try db.execute(sql: "DELETE FROM artifacts WHERE cell_id = ?", arguments: [cellID])
  }
}
