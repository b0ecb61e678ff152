import Foundation
import GRDB

/// Up to `capacity` points of one metric's curve, packed 24 bytes a point (step, value, time: little-endian
/// Int64 and two Float64s), one row of `curve_chunks`. A row a point cost ~190 bytes with its indexes; a
/// chunk costs its points plus one row.
struct CurveChunk: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "curve_chunks"
  /// Points a chunk holds: ~96 KiB of blob, appended to while the cell streams.
  static let capacity = 4096
  static let pointBytes = 24
  /// The packed step of a point that has none.
  static let noStep = Int64.min

  var cellID: String
  var name: String
  var seq: Int
  var attempt: Int
  var count: Int
  var points: Data

  enum CodingKeys: String, CodingKey {
    case cellID = "cell_id", name, seq, attempt, count, points
  }

  /// Packs points of one metric (their names are not stored per point).
  static func pack<C: Collection>(_ points: C) -> Data where C.Element == MetricPoint {
    var data = Data(capacity: points.count * pointBytes)
    for p in points {
      withUnsafeBytes(of: (p.step.map(Int64.init) ?? noStep).littleEndian) { data.append(contentsOf: $0) }
      withUnsafeBytes(of: p.value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
      withUnsafeBytes(of: p.time.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }
    return data
  }

  /// Points the blob really holds (a short blob is read as far as it goes).
  private var storedCount: Int { min(count, points.count / Self.pointBytes) }

  /// The chunk's points, in the order they were written.
  func unpacked() -> [MetricPoint] { (0..<storedCount).map(point) }

  /// The chunk's newest point, without unpacking the rest.
  func lastPoint() -> MetricPoint? { storedCount > 0 ? point(storedCount - 1) : nil }

  private func point(_ i: Int) -> MetricPoint {
    points.withUnsafeBytes { raw in
      let base = i * Self.pointBytes
      let step = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: Int64.self))
      let value = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self))
      let time = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 16, as: UInt64.self))
      return MetricPoint(
        name: name, step: step == Self.noStep ? nil : Int(step), value: Double(bitPattern: value),
        time: Double(bitPattern: time))
    }
  }

  /// Appends points (any metrics) to a cell's curves: each metric's last chunk is filled up, then new chunks
  /// follow. The caller holds the write transaction.
  static func append(_ db: Database, cellID: String, attempt: Int, points: some Collection<MetricPoint>)
    throws
  {
    var order: [String] = []
    var byName: [String: [MetricPoint]] = [:]
    for p in points {
      if byName[p.name] == nil { order.append(p.name) }
      byName[p.name, default: []].append(p)
    }
    for name in order {
      var rest = byName[name]![...]
      var last = try CurveChunk.filter(Column("cell_id") == cellID && Column("name") == name)
        .order(Column("seq").desc).fetchOne(db)
      if var chunk = last, chunk.count < capacity {
        let room = rest.prefix(capacity - chunk.count)
        chunk.points.append(pack(room))
        chunk.count += room.count
        try chunk.update(db)
        rest = rest.dropFirst(room.count)
        last = chunk
      }
      var seq = (last?.seq ?? -1) + 1
      while !rest.isEmpty {
        let part = rest.prefix(capacity)
        try CurveChunk(
          cellID: cellID, name: name, seq: seq, attempt: attempt, count: part.count, points: pack(part)
        ).insert(db)
        rest = rest.dropFirst(part.count)
        seq += 1
      }
    }
  }
}
