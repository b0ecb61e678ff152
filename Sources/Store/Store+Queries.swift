import Foundation
import GRDB

extension Store {
  /// Calls `body` with each run of at most 500 of `ids` and its `?,?,…` placeholders, so a query over any
  /// number of cells stays within SQLite's limit on bound parameters.
  static func inChunks(_ ids: [String], _ body: (_ chunk: [String], _ marks: String) throws -> Void) rethrows
  {
    var start = 0
    while start < ids.count {
      let chunk = Array(ids[start..<min(start + 500, ids.count)])
      start += chunk.count
      try body(chunk, Array(repeating: "?", count: chunk.count).joined(separator: ","))
    }
  }

  /// The stored rows of the given cells, keyed by id; ids the store does not know are absent.
  public func cells(ids: [String]) throws -> [String: CellRecord] {
    try read { db in
      var found: [String: CellRecord] = [:]
      found.reserveCapacity(ids.count)
      try Self.inChunks(ids) { chunk, marks in
        let records = try CellRecord.fetchCursor(
          db, sql: "SELECT * FROM cells WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
        while let record = try records.next() { found[record.id] = record }
      }
      return found
    }
  }

  /// Cells filtered by experiment and status, oldest first.
  public func cells(experiment: String? = nil, status: CellStatus? = nil) throws -> [CellRecord] {
    try read { db in
      var clauses: [String] = []
      var arguments: StatementArguments = []
      if let experiment {
        clauses.append("experiment = ?")
        arguments += [experiment]
      }
      if let status {
        clauses.append("status = ?")
        arguments += [status.rawValue]
      }
      let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
      return try CellRecord.fetchAll(
        db, sql: "SELECT * FROM cells \(filter) ORDER BY created_at, experiment, variant, seed, id",
        arguments: arguments)
    }
  }

  /// The cells whose id starts with `prefix` (at most `limit`), to resolve a short id.
  public func cells(idPrefix prefix: String, limit: Int = 10) throws -> [CellRecord] {
    let escaped = prefix.lowercased().filter { $0.isHexDigit }
    guard escaped.count == prefix.count, !prefix.isEmpty else { return [] }
    return try read { db in
      try CellRecord.fetchAll(
        db, sql: "SELECT * FROM cells WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
        arguments: [escaped, escaped + "g", limit])
    }
  }

  /// Final metric values of the given cells (from `metrics_final`, never from the curves).
  public func finalMetrics(cellIDs: [String]) throws -> [String: [FinalMetric]] {
    try read { db in
      var found: [String: [FinalMetric]] = [:]
      try Self.inChunks(cellIDs) { chunk, marks in
        let rows = try Row.fetchCursor(
          db,
          sql:
            "SELECT cell_id, name, value, step FROM metrics_final WHERE cell_id IN (\(marks)) ORDER BY name",
          arguments: StatementArguments(chunk))
        while let row = try rows.next() {
          found[row["cell_id"], default: []].append(
            FinalMetric(name: row["name"], value: (row["value"] as Double?) ?? .nan, step: row["step"]))
        }
      }
      return found
    }
  }

  /// One cell's curves, each metric's points in the order they were written (metrics by name); one metric's
  /// when `name` is given.
  public func metricPoints(cellID: String, name: String? = nil) throws -> [MetricPoint] {
    try read { db in
      // A store opened read-only is read as it is: a v1 store still keeps one row a point.
      if !compactCurves {
        let filter = name == nil ? "" : "AND name = ?"
        var arguments: StatementArguments = [cellID]
        if let name { arguments += [name] }
        return try Row.fetchAll(
          db,
          sql: "SELECT name, step, value, time FROM metric_points WHERE cell_id = ? \(filter) ORDER BY rowid",
          arguments: arguments
        ).map {
          MetricPoint(
            name: $0["name"], step: $0["step"], value: ($0["value"] as Double?) ?? .nan, time: $0["time"])
        }
      }
      var request = CurveChunk.filter(Column("cell_id") == cellID)
      if let name { request = request.filter(Column("name") == name) }
      return try request.order(Column("name"), Column("seq")).fetchAll(db).flatMap { $0.unpacked() }
    }
  }

  /// The newest curve point of each given cell that has one, so `status` can show how far a running cell
  /// is. Of the points written last, a loss is shown before the other values of its line.
  public func latestPoints(cellIDs: [String]) throws -> [String: MetricPoint] {
    guard compactCurves else { return [:] }
    return try read { db in
      var found: [String: MetricPoint] = [:]
      try Self.inChunks(cellIDs) { chunk, marks in
        // Each metric's last chunk holds its newest point.
        let chunks = try CurveChunk.fetchCursor(
          db,
          sql: """
            SELECT c.* FROM curve_chunks c
            JOIN (SELECT cell_id, name, MAX(seq) AS seq FROM curve_chunks WHERE cell_id IN (\(marks))
                  GROUP BY cell_id, name) last
            ON c.cell_id = last.cell_id AND c.name = last.name AND c.seq = last.seq
            """,
          arguments: StatementArguments(chunk))
        while let c = try chunks.next() {
          guard let p = c.lastPoint() else { continue }
          if let best = found[c.cellID], !Self.shownBefore(p, best) { continue }
          found[c.cellID] = p
        }
      }
      return found
    }
  }

  /// Newer first (by time, then step); among a line's values a loss, then by name.
  static func shownBefore(_ a: MetricPoint, _ b: MetricPoint) -> Bool {
    if a.time != b.time { return a.time > b.time }
    if (a.step ?? .min) != (b.step ?? .min) { return (a.step ?? .min) > (b.step ?? .min) }
    let (aLoss, bLoss) = (a.name.hasSuffix("loss"), b.name.hasSuffix("loss"))
    if aLoss != bLoss { return aLoss }
    return a.name < b.name
  }

  /// The artifacts one cell's successful attempt left.
  public func artifacts(cellID: String) throws -> [Artifact] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT path, sha256, bytes FROM artifacts WHERE cell_id = ? ORDER BY path",
        arguments: [cellID]
      ).map { Artifact(path: $0["path"], sha256: $0["sha256"], bytes: $0["bytes"]) }
    }
  }

}
