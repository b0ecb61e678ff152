import Foundation
import GRDB

extension Store {
  /// Schema v2: curves move from one row a point (`metric_points`, ~190 bytes a point with its index) to
  /// packed chunks (`curve_chunks`, ~24 bytes a point). Existing points are converted in the migration's
  /// transaction, metric by metric in the order they were written; the old table is dropped (run `VACUUM`
  /// on the store to hand its pages back to the filesystem).
  static func migrateToCompactCurves(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE curve_chunks (
          cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          seq INTEGER NOT NULL,
          attempt INTEGER NOT NULL,
          count INTEGER NOT NULL,
          points BLOB NOT NULL,
          PRIMARY KEY (cell_id, name, seq)
        )
        """)
    let rows = try Row.fetchCursor(
      db,
      sql: "SELECT cell_id, attempt, name, step, value, time FROM metric_points ORDER BY cell_id, name, rowid"
    )
    var key: (cell: String, name: String)?
    var attempt = 0
    var pending: [MetricPoint] = []
    var seq = 0
    func flush() throws {
      guard let key, !pending.isEmpty else { return }
      try CurveChunk(
        cellID: key.cell, name: key.name, seq: seq, attempt: attempt, count: pending.count,
        points: CurveChunk.pack(pending)
      ).insert(db)
      seq += 1
      pending.removeAll(keepingCapacity: true)
    }
    while let row = try rows.next() {
      let cell: String = row["cell_id"]
      let name: String = row["name"]
      if key?.cell != cell || key?.name != name {
        try flush()
        key = (cell, name)
        seq = 0
      }
      attempt = row["attempt"]
      pending.append(
        MetricPoint(
          name: name, step: row["step"], value: (row["value"] as Double?) ?? .nan, time: row["time"]))
      if pending.count == CurveChunk.capacity { try flush() }
    }
    try flush()
    try db.execute(sql: "DROP TABLE metric_points")
  }
}
