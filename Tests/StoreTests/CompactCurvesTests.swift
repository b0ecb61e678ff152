import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

/// Curves are packed chunks: ~24 bytes a point, written once, and a v1 store's rows are converted on open.
@Suite struct CompactCurvesTests {
  static func claimed(_ store: Store, _ id: String) throws {
    try store.register([StoreClaimTests.cell(id)])
    _ = try store.claim(
      cellID: id, owner: "A", leaseSeconds: 30, retryFailed: false, provenanceID: nil, outputDir: { "\($0)" })
  }

  static func points(_ n: Int, names: [String] = ["loss", "acc"]) -> [MetricPoint] {
    (0..<n).map { (i: Int) -> MetricPoint in
      let step: Int? = i % 7 == 0 ? nil : i
      let value: Double = i % 11 == 0 ? .nan : Double(i) / 3
      return MetricPoint(name: names[i % names.count], step: step, value: value, time: 1000 + Double(i))
    }
  }

  static func same(_ a: [MetricPoint], _ b: [MetricPoint]) -> Bool {
    a.count == b.count
      && zip(a, b).allSatisfy {
        $0.name == $1.name && $0.step == $1.step && $0.time == $1.time
          && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN))
      }
  }

  /// In the order written, per metric, across streamed batches and the result, each point once.
  static func expected(_ points: [MetricPoint]) -> [MetricPoint] {
    Set(points.map(\.name)).sorted().flatMap { name in points.filter { $0.name == name } }
  }

  @Test func streamedBatchesAndTheResultAreEachWrittenOnce() throws {
    let dir = try TemporaryDirectory()
    let store = try Store(path: dir.path + "/ablate.db")
    try Self.claimed(store, "aa")
    let all = Self.points(3 * CurveChunk.capacity + 17)
    // Uneven batches straddle chunk boundaries; the rest comes with the result.
    var start = 0
    for size in [1, 4000, 4097, 3] {
      #expect(
        try store.appendPoints(cellID: "aa", owner: "A", attempt: 1, points: Array(all[start..<start + size]))
      )
      start += size
    }
    let result = AttemptResult(
      status: .done, exitCode: 0, errorText: nil, endedAt: 1, duration: 1, points: Array(all[start...]),
      finals: [], artifacts: [])
    #expect(try store.finish(cellID: "aa", owner: "A", attempt: 1, result: result))
    #expect(Self.same(try store.metricPoints(cellID: "aa"), Self.expected(all)))
    #expect(Self.same(try store.metricPoints(cellID: "aa", name: "acc"), all.filter { $0.name == "acc" }))
    // A stale owner writes nothing.
    #expect(try store.appendPoints(cellID: "aa", owner: "B", attempt: 1, points: all) == false)
  }

  /// The newest point of each running cell, read from the last chunk of each metric: across a chunk
  /// boundary, its loss before the other values of its line, and nothing for a cell without a curve.
  @Test func latestPointsAreEachCellsNewest() throws {
    let dir = try TemporaryDirectory()
    let store = try Store(path: dir.path + "/ablate.db")
    try Self.claimed(store, "aa")
    try Self.claimed(store, "bb")
    try Self.claimed(store, "cc")
    let n = CurveChunk.capacity + 5
    let long = (0..<n).flatMap { i in
      ["a/lr", "a/loss"].map { MetricPoint(name: $0, step: i, value: Double(i), time: 1000 + Double(i)) }
    }
    #expect(try store.appendPoints(cellID: "aa", owner: "A", attempt: 1, points: long))
    // "bb" moved on to a second stage whose step restarts at 1 but whose point is newer.
    let staged = [
      MetricPoint(name: "p/loss", step: 500, value: 2, time: 50),
      MetricPoint(name: "v/acc", step: 1, value: 0.5, time: 60),
      MetricPoint(name: "v/loss", step: 1, value: 1.5, time: 60),
    ]
    #expect(try store.appendPoints(cellID: "bb", owner: "A", attempt: 1, points: staged))
    let latest = try store.latestPoints(cellIDs: ["aa", "bb", "cc"])
    #expect(latest.keys.sorted() == ["aa", "bb"])
    #expect(
      latest["aa"]?.name == "a/loss" && latest["aa"]?.step == n - 1 && latest["aa"]?.value == Double(n - 1))
    #expect(latest["bb"]?.name == "v/loss" && latest["bb"]?.step == 1 && latest["bb"]?.value == 1.5)
  }

  @Test func aPointCostsAboutTwentyFourBytes() throws {
    let dir = try TemporaryDirectory()
    let path = dir.path + "/ablate.db"
    let store = try Store(path: path)
    try Self.claimed(store, "aa")
    let n = 200_000
    let all = Self.points(n, names: ["loss"])
    for start in stride(from: 0, to: n, by: 5_000) {
      _ = try store.appendPoints(
        cellID: "aa", owner: "A", attempt: 1, points: Array(all[start..<start + 5_000]))
    }
    let bytes = try store.writer!.write { db -> Int in
      let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
      let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count")!
      return try (pages - free) * Int.fetchOne(db, sql: "PRAGMA page_size")!
    }
    let perPoint = Double(bytes) / Double(n)
    #expect(perPoint < 25.5, "\(perPoint) bytes a point")
  }

  @Test func aVersionOneStoreIsReadAsItIsAndConvertedAndVacuumedOnAWritingOpen() throws {
    let dir = try TemporaryDirectory()
    let path = dir.path + "/ablate.db"
    let all = Self.points(CurveChunk.capacity + 5)
    do {
      let queue = try DatabaseQueue(path: path)
      try Store.migrator.migrate(queue, upTo: "v1-cells-metrics-provenance")
      try queue.write { db in
        // Another build's own migration, also called version 2: only the applied migrations tell.
        try db.execute(sql: "PRAGMA user_version = 2")
        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-another-build')")
        try db.execute(
          sql: """
            INSERT INTO cells (id, experiment, variant, grid_point, seed, config, config_hash, trainer, created_at, status)
            VALUES ('aa', 'e', 'v', '{}', 1, '{}', 'h', 't', 0, 'done')
            """)
        for p in all {
          try db.execute(
            sql:
              "INSERT INTO metric_points (cell_id, attempt, name, step, value, time) VALUES ('aa', 1, ?, ?, ?, ?)",
            arguments: [p.name, p.step, p.value.isNaN ? nil : p.value, p.time])
        }
      }
    }
    let reader = try Store(path: path, access: .readOnly)
    #expect(try reader.version() == 2)
    let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    #expect(Self.same(try reader.metricPoints(cellID: "aa", name: "loss"), all.filter { $0.name == "loss" }))
    let store = try Store(path: path)
    #expect(try store.version() == Store.schemaVersion)
    #expect(Self.same(try store.metricPoints(cellID: "aa"), Self.expected(all)))
    let tables = try store.read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    #expect(!tables.contains("metric_points"))
    // Vacuumed: the old rows' pages are handed back.
    let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    #expect(after < before, "\(after) bytes after, \(before) before")
    #expect(try store.cells(ids: ["aa"])["aa"]?.status == .done)
  }
}
