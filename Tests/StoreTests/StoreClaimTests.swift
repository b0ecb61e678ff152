import Foundation
import GRDB
import Store
import TestSupport
import Testing

@Suite struct StoreClaimTests {
  static func cell(_ id: String) -> NewCell {
    NewCell(
      id: id, experiment: "e", variant: "v", gridPointJSON: "{}", seed: 1, configJSON: "{\"seed\":1}",
      configHash: "h", trainer: "t")
  }

  static func result(_ status: CellStatus, value: Double = 0.5) -> AttemptResult {
    AttemptResult(
      status: status, exitCode: 0, errorText: nil, endedAt: 10, duration: 1,
      points: [MetricPoint(name: "loss", step: 1, value: value, time: 9)],
      finals: [FinalMetric(name: "loss", value: value, step: 1)],
      artifacts: [Artifact(path: "w.txt", sha256: "ab", bytes: 2)])
  }

  @Test func claimIsExclusiveUntilTheLeaseExpires() throws {
    let dir = try TemporaryDirectory()
    let store = try Store(path: dir.path + "/s/ablate.db")
    try store.register([Self.cell("aa")])
    let first = try store.claim(
      cellID: "aa", owner: "A", leaseSeconds: 30, retryFailed: false, provenanceID: nil,
      outputDir: { "\($0)" },
      now: 100)
    #expect(first == .claimed(attempt: 1))
    let second = try store.claim(
      cellID: "aa", owner: "B", leaseSeconds: 30, retryFailed: false, provenanceID: nil,
      outputDir: { "\($0)" },
      now: 110)
    #expect(second == .busy(owner: "A", expiresAt: 130))
    // A dead owner's lease runs out; B takes the cell over as a new attempt.
    let third = try store.claim(
      cellID: "aa", owner: "B", leaseSeconds: 30, retryFailed: false, provenanceID: nil,
      outputDir: { "\($0)" },
      now: 131)
    #expect(third == .claimed(attempt: 2))
    // A can no longer record its stale attempt.
    #expect(try store.finish(cellID: "aa", owner: "A", attempt: 1, result: Self.result(.done)) == false)
    #expect(try store.finish(cellID: "aa", owner: "B", attempt: 2, result: Self.result(.done)) == true)
    let record = try #require(try store.cells(ids: ["aa"])["aa"])
    #expect(record.status == .done)
    #expect(record.leaseOwner == nil)
    #expect(try store.metricPoints(cellID: "aa").count == 1)
    #expect(try store.artifacts(cellID: "aa").map(\.path) == ["w.txt"])
    let settled = try store.claim(
      cellID: "aa", owner: "C", leaseSeconds: 30, retryFailed: true, provenanceID: nil, outputDir: { "\($0)" }
    )
    #expect(settled == .settled(.done))
  }

  @Test func failuresRerunOnlyWhenAskedAndDropOldResults() throws {
    let dir = try TemporaryDirectory()
    let store = try Store(path: dir.path + "/ablate.db")
    try store.register([Self.cell("bb")])
    _ = try store.claim(
      cellID: "bb", owner: "A", leaseSeconds: 30, retryFailed: false, provenanceID: nil,
      outputDir: { "\($0)" })
    try store.finish(cellID: "bb", owner: "A", attempt: 1, result: Self.result(.diverged, value: .nan))
    #expect(try store.finalMetrics(cellIDs: ["bb"])["bb"]?.first?.value.isNaN == true)
    let skip = try store.claim(
      cellID: "bb", owner: "A", leaseSeconds: 30, retryFailed: false, provenanceID: nil,
      outputDir: { "\($0)" })
    #expect(skip == .settled(.diverged))
    let again = try store.claim(
      cellID: "bb", owner: "A", leaseSeconds: 30, retryFailed: true, provenanceID: nil, outputDir: { "\($0)" }
    )
    #expect(again == .claimed(attempt: 2))
    #expect(try store.metricPoints(cellID: "bb").isEmpty)
    #expect(try store.interrupt(owner: "A") == 1)
    #expect(try store.cells(ids: ["bb"])["bb"]?.status == .interrupted)
  }

  @Test func registeringTwiceKeepsState() throws {
    let dir = try TemporaryDirectory()
    let store = try Store(path: dir.path + "/ablate.db")
    try store.register([Self.cell("cc")])
    _ = try store.claim(
      cellID: "cc", owner: "A", leaseSeconds: 30, retryFailed: false, provenanceID: nil,
      outputDir: { "\($0)" })
    try store.finish(cellID: "cc", owner: "A", attempt: 1, result: Self.result(.done))
    try store.register([Self.cell("cc"), Self.cell("cd")])
    #expect(try store.cells().map(\.status) == [.done, .pending])
    #expect(try store.cells(idPrefix: "c").count == 2)
    #expect(try store.cells(idPrefix: "cd").map(\.id) == ["cd"])
  }

  @Test func refusesANewerSchema() throws {
    let dir = try TemporaryDirectory()
    let path = dir.path + "/ablate.db"
    _ = try Store(path: path)
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
    try queue.close()
    #expect {
      _ = try Store(path: path)
    } throws: { error in
      (error as? StoreError)?.message.contains("newer than this ablate supports") == true
    }
  }

  @Test func provenanceAndDiffsAreStoredOnce() throws {
    let dir = try TemporaryDirectory()
    let store = try Store(path: dir.path + "/ablate.db")
    let a = try store.recordProvenance(json: "{}", hash: "h1", diff: ("d1", "patch"))
    let b = try store.recordProvenance(json: "{}", hash: "h1", diff: ("d1", "patch"))
    let c = try store.recordProvenance(json: "{\"x\":1}", hash: "h2", diff: ("d1", "patch"))
    #expect(a == b)
    #expect(a != c)
    #expect(try store.provenance(id: c)?.diffSHA256 == "d1")
    #expect(try store.diff(sha256: "d1") == "patch")
  }
}
