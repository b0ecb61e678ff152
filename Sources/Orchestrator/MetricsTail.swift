import Foundation
import Store

/// Follows a trainer's `ABLATE_METRICS` file as it grows: complete lines become points stamped with the time
/// they were read; each metric's last value is its final value.
final class MetricsTail {
  let path: String
  private var offset: UInt64 = 0
  private var partial = Data()
  private(set) var points: [MetricPoint] = []
  private var last: [String: FinalMetric] = [:]
  private var order: [String] = []
  private(set) var firstNonFinite: (name: String, value: Double, step: Int?)?

  init(path: String) { self.path = path }

  var finals: [FinalMetric] { order.compactMap { last[$0] } }

  /// Reads what was appended since the last call and returns the new points. `atEnd` also takes a last line
  /// that has no newline (the trainer has exited, so it is complete or never will be).
  @discardableResult
  func poll(time: Double, atEnd: Bool = false) -> [MetricPoint] {
    if let handle = FileHandle(forReadingAtPath: path) {
      defer { try? handle.close() }
      if (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd() {
        offset += UInt64(data.count)
        partial.append(data)
      }
    }
    var lines: [Substring] = []
    if let cut = partial.lastIndex(of: UInt8(ascii: "\n")) {
      let complete = String(decoding: partial[partial.startIndex..<cut], as: UTF8.self)
      lines = complete.split(separator: "\n", omittingEmptySubsequences: true)
      partial = Data(partial[partial.index(after: cut)...])
    }
    if atEnd, !partial.isEmpty {
      lines.append(Substring(String(decoding: partial, as: UTF8.self)))
      partial = Data()
    }
    let start = points.count
    for line in lines {
      guard let parsed = MetricsLine.parse(line) else { continue }
      for (name, value) in parsed.values {
        points.append(MetricPoint(name: name, step: parsed.step, value: value, time: time))
        if last[name] == nil { order.append(name) }
        last[name] = FinalMetric(name: name, value: value, step: parsed.step)
        if !value.isFinite, firstNonFinite == nil { firstNonFinite = (name, value, parsed.step) }
      }
    }
    return Array(points[start...])
  }
}
