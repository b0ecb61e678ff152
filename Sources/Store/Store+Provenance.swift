import Foundation
import GRDB

extension Store {
  /// Records a provenance once per distinct content (`hash`), and its diff once per distinct patch.
  /// Returns the provenance row id.
  public func recordProvenance(json: String, hash: String, diff: (sha256: String, patch: String)?) throws
    -> Int64
  {
    try immediate { db in
      if let diff {
        try db.execute(
          sql: "INSERT OR IGNORE INTO diffs (sha256, patch) VALUES (?, ?)",
          arguments: [diff.sha256, diff.patch])
      }
      try db.execute(
        sql: "INSERT OR IGNORE INTO provenance (hash, json, diff_sha256) VALUES (?, ?, ?)",
        arguments: [hash, json, diff?.sha256])
      return try Int64.fetchOne(db, sql: "SELECT id FROM provenance WHERE hash = ?", arguments: [hash])!
    }
  }

  /// Records one `ablate run` invocation.
  @discardableResult
  public func recordInvocation(
    commandLine: String, host: String, pid: Int32, owner: String, provenanceID: Int64?,
    startedAt: Double = Date().timeIntervalSince1970
  ) throws -> Int64 {
    try immediate { db in
      try db.execute(
        sql: """
          INSERT INTO invocations (command_line, started_at, host, pid, owner, provenance_id)
          VALUES (?, ?, ?, ?, ?, ?)
          """, arguments: [commandLine, startedAt, host, Int(pid), owner, provenanceID])
      return db.lastInsertedRowID
    }
  }

  /// A provenance row by id.
  public func provenance(id: Int64) throws -> ProvenanceRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT id, json, diff_sha256 FROM provenance WHERE id = ?", arguments: [id])
        .map {
          ProvenanceRecord(id: $0["id"], json: $0["json"], diffSHA256: $0["diff_sha256"])
        }
    }
  }

  /// A stored patch by its sha256.
  public func diff(sha256: String) throws -> String? {
    try read { db in
      try String.fetchOne(db, sql: "SELECT patch FROM diffs WHERE sha256 = ?", arguments: [sha256])
    }
  }

  /// How many invocations have been recorded (for tests and `runs`).
  public func invocationCount() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invocations") ?? 0 }
  }
}
