import Foundation
import Provenance
import Store

/// Where and from what code a cell's recorded attempt ran, for every exported row: so results can be
/// grouped by code revision and host.
public struct RunOrigin: Sendable {
  public var commit: String?
  public var dirty: Bool
  public var diffSHA256: String?
  public var host: String

  public static let columns = ["attempt", "started_at", "ended_at", "commit", "dirty", "diff_sha256", "host"]

  /// The origins of the given provenance ids, read once each.
  public static func load(_ ids: [Int64], from store: Store?) throws -> [Int64: RunOrigin] {
    guard let store else { return [:] }
    var origins: [Int64: RunOrigin] = [:]
    for id in Set(ids) {
      guard let record = try store.provenance(id: id),
        let provenance = try? JSONDecoder().decode(Provenance.self, from: Data(record.json.utf8))
      else { continue }
      origins[id] = RunOrigin(
        commit: provenance.git.commit, dirty: provenance.git.dirty,
        diffSHA256: provenance.git.diffSHA256 ?? record.diffSHA256, host: provenance.host)
    }
    return origins
  }

  /// The row's values for `columns`, nil where not recorded (a cell never run).
  public static func fields(_ record: CellRecord?, _ origins: [Int64: RunOrigin]) -> [String?] {
    let origin = record?.provenanceID.flatMap { origins[$0] }
    func time(_ t: Double?) -> String? {
      t.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
    }
    return [
      record.map { String($0.attempt) }, time(record?.startedAt), time(record?.endedAt), origin?.commit,
      origin.map { String($0.dirty) }, origin?.diffSHA256, origin?.host,
    ]
  }
}
