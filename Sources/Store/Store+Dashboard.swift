import Foundation
import GRDB

/// One experiment as the dashboard lists it: how many cells are in each state, and their summed wall time.
public struct ExperimentSummary: Sendable, Hashable {
  public var name: String
  public var counts: [CellStatus: Int]
  /// Summed duration of the finished attempts, in seconds.
  public var seconds: Double
  /// The latest start or end time of any of its cells (Unix seconds), for "last activity".
  public var lastActivity: Double?

  public var total: Int { counts.values.reduce(0, +) }
  public var failures: Int { counts.filter { $0.key.isFailure }.map(\.value).reduce(0, +) }
}

/// The dashboard's reads: aggregates computed by SQLite so that a 10,000-cell experiment never has to be
/// decoded row by row to count it.
extension Store {
  /// Every experiment in the store with its cells' states, by name.
  public func experimentSummaries() throws -> [ExperimentSummary] {
    try read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT experiment, status, COUNT(*) AS n, TOTAL(duration) AS seconds,
                 MAX(MAX(COALESCE(ended_at, 0), COALESCE(started_at, 0))) AS last
          FROM cells GROUP BY experiment, status ORDER BY experiment
          """)
      var byName: [String: ExperimentSummary] = [:]
      var order: [String] = []
      for row in rows {
        let name: String = row["experiment"]
        if byName[name] == nil {
          order.append(name)
          byName[name] = ExperimentSummary(name: name, counts: [:], seconds: 0, lastActivity: nil)
        }
        let status = CellStatus(rawValue: row["status"]) ?? .pending
        byName[name]!.counts[status, default: 0] += row["n"] as Int
        byName[name]!.seconds += row["seconds"] as Double
        let last: Double = row["last"]
        if last > 0 { byName[name]!.lastActivity = max(byName[name]!.lastActivity ?? 0, last) }
      }
      return order.map { byName[$0]! }
    }
  }

  /// The failed, diverged and timed-out cells of an experiment, most recent first (their stderr tails are
  /// in `errorText`).
  public func failures(experiment: String, limit: Int = 50) throws -> [CellRecord] {
    try read { db in
      try CellRecord.fetchAll(
        db,
        sql: """
          SELECT * FROM cells WHERE experiment = ? AND status IN ('failed', 'diverged', 'timed-out')
          ORDER BY ended_at DESC, id LIMIT ?
          """, arguments: [experiment, limit])
    }
  }

  /// The points of one metric for several cells, keyed by cell id (cells without any are absent). Built on
  /// `metricPoints(cellID:name:)`, so it reads curves however they are stored.
  public func metricPoints(cellIDs: [String], name: String) throws -> [String: [MetricPoint]] {
    var found: [String: [MetricPoint]] = [:]
    for id in cellIDs {
      let points = try metricPoints(cellID: id, name: name)
      if !points.isEmpty { found[id] = points }
    }
    return found
  }
}
