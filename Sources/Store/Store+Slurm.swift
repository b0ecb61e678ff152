import Foundation
import GRDB

/// The Slurm executor's records: each submitted job array, each queued (cell, attempt) with its task index,
/// and what the task reported about where and how it ran. The submitting side is the only writer.
extension Store {
  static func registerSlurmMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v3-slurm-arrays") { db in
      try db.execute(
        sql: """
          CREATE TABLE slurm_arrays (
            submission TEXT PRIMARY KEY NOT NULL,
            array_id TEXT,
            experiment TEXT NOT NULL,
            spec_hash TEXT NOT NULL,
            job_name TEXT NOT NULL,
            directory TEXT NOT NULL,
            array_spec TEXT NOT NULL,
            submitted_at REAL NOT NULL,
            cancelled_at REAL
          );
          CREATE TABLE slurm_tasks (
            cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            submission TEXT NOT NULL REFERENCES slurm_arrays(submission),
            task_index INTEGER NOT NULL,
            job_id TEXT,
            restart_count INTEGER,
            node TEXT,
            partition TEXT,
            git_commit TEXT,
            binary_sha256 TEXT,
            mismatch TEXT,
            ingested_at REAL,
            PRIMARY KEY (cell_id, attempt)
          ) WITHOUT ROWID;
          CREATE INDEX slurm_tasks_submission ON slurm_tasks(submission, task_index);
          """)
    }
  }

  /// Starts a new attempt of each cell as `queued` under `submission`, recording its task index, in one
  /// transaction with the submission itself (its array id comes later, from `sbatch`).
  /// Cells that are done, queued, or settled failures (unless `retryFailed`) are left alone and not returned.
  public func queue(
    _ cells: [QueuedCell], submission: SlurmSubmission, retryFailed: Bool,
    now: Double = Date().timeIntervalSince1970
  ) throws -> [String: Int] {
    try immediate { db in
      try db.execute(
        sql: """
          INSERT INTO slurm_arrays
            (submission, experiment, spec_hash, job_name, directory, array_spec, submitted_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          submission.id, submission.experiment, submission.specHash, submission.jobName,
          submission.directory, submission.arraySpec, now,
        ])
      let select = try db.makeStatement(sql: "SELECT status, attempt FROM cells WHERE id = ?")
      let update = try db.makeStatement(
        sql: """
          UPDATE cells SET status = 'queued', attempt = ?, lease_owner = NULL, lease_expires_at = NULL,
            started_at = NULL, ended_at = NULL, exit_code = NULL, error_text = NULL, duration = NULL,
            provenance_id = ?, output_dir = ?
          WHERE id = ?
          """)
      let task = try db.makeStatement(
        sql: "INSERT INTO slurm_tasks (cell_id, attempt, submission, task_index) VALUES (?, ?, ?, ?)")
      var attempts: [String: Int] = [:]
      for cell in cells {
        guard let row = try Row.fetchOne(select, arguments: [cell.id]) else { continue }
        let status = CellStatus(rawValue: row["status"]) ?? .pending
        if status == .done || status == .queued || status == .running || (status.isFailure && !retryFailed) {
          continue
        }
        let attempt = (row["attempt"] as Int) + 1
        try Store.clearResults(db, cellID: cell.id)
        try update.execute(arguments: [attempt, submission.provenanceID, cell.outputDir(attempt), cell.id])
        try task.execute(arguments: [cell.id, attempt, submission.id, cell.taskIndex])
        attempts[cell.id] = attempt
      }
      return attempts
    }
  }

  /// Records the array id `sbatch --parsable` printed for a submission, and the `--array=` it was given.
  public func setArrayID(_ arrayID: String, arraySpec: String, submission: String) throws {
    try immediate { db in
      try db.execute(
        sql: "UPDATE slurm_arrays SET array_id = ?, array_spec = ? WHERE submission = ?",
        arguments: [arrayID, arraySpec, submission])
    }
  }

  /// A submission whose `sbatch` failed: its cells go back to `pending`, as if never queued.
  public func withdraw(submission: String, error: String) throws {
    try immediate { db in
      try db.execute(
        sql: """
          UPDATE cells SET status = 'pending', error_text = ?
          WHERE status = 'queued' AND EXISTS (SELECT 1 FROM slurm_tasks t
            WHERE t.cell_id = cells.id AND t.attempt = cells.attempt AND t.submission = ?)
          """, arguments: [error, submission])
      try db.execute(
        sql: "UPDATE slurm_arrays SET cancelled_at = ? WHERE submission = ?",
        arguments: [Date().timeIntervalSince1970, submission])
    }
  }

  /// The Slurm task of each cell's current attempt (queued or already settled), keyed by cell id.
  public func slurmTasks(cellIDs: [String]) throws -> [String: SlurmTaskRecord] {
    try reader.read { db in
      // A store opened read-only before its Slurm migration has no Slurm tables: nothing went to Slurm.
      guard try db.tableExists("slurm_tasks") else { return [:] }
      var found: [String: SlurmTaskRecord] = [:]
      let statement = try db.makeStatement(
        sql: """
          SELECT c.id, c.status, c.attempt, c.output_dir, t.task_index, t.job_id, t.restart_count, t.node,
            t.partition, t.git_commit, t.binary_sha256, t.mismatch,
            a.submission, a.array_id, a.job_name, a.directory, a.cancelled_at, a.submitted_at
          FROM cells c JOIN slurm_tasks t ON t.cell_id = c.id AND t.attempt = c.attempt
          JOIN slurm_arrays a ON a.submission = t.submission
          WHERE c.id = ?
          """)
      for id in cellIDs {
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
        found[id] = SlurmTaskRecord(
          cellID: row[0], status: CellStatus(rawValue: row[1]) ?? .pending, attempt: row[2],
          outputDir: row[3],
          taskIndex: row[4], jobID: row[5], restartCount: row[6], node: row[7], partition: row[8],
          gitCommit: row[9], binarySHA256: row[10], mismatch: row[11], submission: row[12], arrayID: row[13],
          jobName: row[14], directory: row[15], cancelled: (row[16] as Double?) != nil, submittedAt: row[17])
      }
      return found
    }
  }

  /// Records each task result whose (cell, attempt) is still `queued`, with its whole curve, in the same
  /// transaction as its status; a result already ingested, or for an attempt the store has moved past, changes
  /// nothing. Results share a transaction up to `pointsPerTransaction` points (one with more has its own), so
  /// collecting 1,000 results does not hold the write lock for the sum of their curves. Returns the cell ids
  /// recorded.
  @discardableResult
  public func ingest(_ results: [SlurmTaskResult], now: Double = Date().timeIntervalSince1970) throws
    -> [String]
  {
    var recorded: [String] = []
    var start = results.startIndex
    while start < results.endIndex {
      var end = start + 1
      var points = results[start].attempt.points.count
      while end < results.endIndex, points + results[end].attempt.points.count <= Store.pointsPerTransaction {
        points += results[end].attempt.points.count
        end += 1
      }
      recorded += try ingestTogether(results[start..<end], now: now)
      start = end
    }
    return recorded
  }

  /// `ingest`'s one transaction.
  private func ingestTogether(_ results: ArraySlice<SlurmTaskResult>, now: Double) throws -> [String] {
    try immediate { db in
      let update = try db.makeStatement(
        sql: """
          UPDATE cells SET status = ?, exit_code = ?, error_text = ?, started_at = ?, ended_at = ?, duration = ?
          WHERE id = ? AND attempt = ? AND status = 'queued'
          """)
      let final = try db.makeStatement(
        sql: "INSERT OR REPLACE INTO metrics_final (cell_id, name, value, step) VALUES (?, ?, ?, ?)")
      let artifact = try db.makeStatement(
        sql: "INSERT OR REPLACE INTO artifacts (cell_id, path, sha256, bytes) VALUES (?, ?, ?, ?)")
      let task = try db.makeStatement(
        sql: """
          UPDATE slurm_tasks SET job_id = ?, restart_count = ?, node = ?, partition = ?, git_commit = ?,
            binary_sha256 = ?, mismatch = ?, ingested_at = ?
          WHERE cell_id = ? AND attempt = ?
          """)
      var recorded: [String] = []
      for r in results {
        let a = r.attempt
        try update.execute(arguments: [
          a.status.rawValue, a.exitCode, a.errorText, r.startedAt, a.endedAt, a.duration, r.cellID,
          r.attemptNumber,
        ])
        guard db.changesCount == 1 else { continue }
        try Store.clearResults(db, cellID: r.cellID)
        try CurveChunk.append(db, cellID: r.cellID, attempt: r.attemptNumber, points: a.points)
        for f in a.finals {
          try final.execute(arguments: [r.cellID, f.name, f.value.isNaN ? nil : f.value, f.step])
        }
        for x in a.artifacts { try artifact.execute(arguments: [r.cellID, x.path, x.sha256, x.bytes]) }
        let s = r.slurm
        try task.execute(arguments: [
          s.jobID, s.restartCount, s.node, s.partition, s.gitCommit, s.binarySHA256, s.mismatch, now,
          r.cellID,
          r.attemptNumber,
        ])
        recorded.append(r.cellID)
      }
      return recorded
    }
  }

  /// Marks queued cells `interrupted` (their jobs were cancelled, or are gone without a result), so the next
  /// `ablate run` submits them again; returns how many changed.
  @discardableResult
  public func interruptQueued(
    _ cells: [CellAttempt], reason: String, now: Double = Date().timeIntervalSince1970
  ) throws -> Int {
    try immediate { db in
      let statement = try db.makeStatement(
        sql: """
          UPDATE cells SET status = 'interrupted', ended_at = ?, error_text = ?
          WHERE id = ? AND attempt = ? AND status = 'queued'
          """)
      var changed = 0
      for cell in cells {
        try statement.execute(arguments: [now, reason, cell.cellID, cell.attempt])
        changed += db.changesCount
      }
      return changed
    }
  }

  /// Marks the submissions cancelled (`ablate cancel`), for `status`.
  public func markCancelled(submissions: [String], now: Double = Date().timeIntervalSince1970) throws {
    try immediate { db in
      for s in submissions {
        try db.execute(
          sql: "UPDATE slurm_arrays SET cancelled_at = ? WHERE submission = ? AND cancelled_at IS NULL",
          arguments: [now, s])
      }
    }
  }
}
