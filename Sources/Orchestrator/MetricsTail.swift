import Foundation
import Store
import TrainerProtocol

/// Follows a trainer's `ABLATE_METRICS` file as it grows: complete lines become points stamped with the time
/// they were read; each metric's last value is its final value.
///
/// Memory stays bounded whatever the trainer writes: the file is read in 1 MiB chunks, an unfinished line is
/// kept only up to `MetricsLine.maxBytes`, and a line the codec refuses is counted, not kept.
public final class MetricsTail {
  public let path: String
  private var offset: UInt64 = 0
  private var partial: [UInt8] = []
  /// Inside a line already longer than the limit: drop bytes up to its newline.
  private var skipping = false
  private var lineNumber = 0
  private var last: [String: FinalMetric] = [:]
  private var order: [String] = []
  public private(set) var firstNonFinite: (name: String, value: Double, step: Int?)?
  /// Lines skipped as unreadable, and the first one's line number and reason.
  private(set) var badLines = 0
  private(set) var firstProblem: String?

  public init(path: String) { self.path = path }

  public var finals: [FinalMetric] { order.compactMap { last[$0] } }

  /// One line for the cell's record when lines were skipped, nil otherwise.
  public var note: String? {
    guard let firstProblem else { return nil }
    let lines = badLines == 1 ? "1 line" : "\(badLines) lines"
    return "metrics: \(lines) of \(path.split(separator: "/").last ?? "") ignored (first: \(firstProblem))"
  }

  /// Reads what was appended since the last call and returns the new points: about `limit` at most (the
  /// rest of the file waits for the next call), so a trainer that logs faster than the store takes its points
  /// costs bounded memory. `atEnd` also takes a last line that has no newline (the trainer has exited, so it is
  /// complete or never will be) once the whole file is read.
  public func poll(time: Double, atEnd: Bool = false, limit: Int = .max) -> [MetricPoint] {
    var fresh: [MetricPoint] = []
    var drained = true
    if let handle = FileHandle(forReadingAtPath: path) {
      defer { try? handle.close() }
      if (try? handle.seek(toOffset: offset)) != nil {
        while fresh.count < limit, let chunk = try? handle.read(upToCount: 256 << 10), !chunk.isEmpty {
          let used = consume(chunk, time: time, into: &fresh, limit: limit)
          offset += UInt64(used)
          if used < chunk.count {
            drained = false
            break
          }
        }
        if fresh.count >= limit { drained = false }
      }
    }
    if atEnd, drained, skipping || !partial.isEmpty {
      finishLine(time: time, into: &fresh)
    }
    return fresh
  }

  /// Takes complete lines from `chunk` until `limit` points are read; returns how many bytes it used (the
  /// unfinished line at the end is kept in `partial` and counts as used).
  private func consume(_ chunk: Data, time: Double, into fresh: inout [MetricPoint], limit: Int) -> Int {
    chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int in
      let bytes = raw.bindMemory(to: UInt8.self)
      var start = 0
      while start < bytes.count, fresh.count < limit {
        let newline = bytes[start...].firstIndex(of: 0x0A)
        let end = newline ?? bytes.count
        if !skipping {
          if partial.count + (end - start) > MetricsLine.maxBytes {
            skipping = true
            partial.removeAll(keepingCapacity: false)
          } else {
            partial.append(contentsOf: bytes[start..<end])
          }
        }
        guard newline != nil else { return bytes.count }
        finishLine(time: time, into: &fresh)
        start = end + 1
      }
      return start
    }
  }

  private func finishLine(time: Double, into fresh: inout [MetricPoint]) {
    lineNumber += 1
    defer {
      partial.removeAll(keepingCapacity: true)
      skipping = false
    }
    if skipping { return reject(MetricsLineProblem("longer than \(MetricsLine.maxBytes) bytes")) }
    if partial.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
    let parsed: MetricsLine
    do { parsed = try MetricsLine.decode(partial[...]) } catch { return reject(error) }
    for (name, value) in parsed.values {
      fresh.append(MetricPoint(name: name, step: parsed.step, value: value, time: time))
      if last[name] == nil { order.append(name) }
      last[name] = FinalMetric(name: name, value: value, step: parsed.step)
      if !value.isFinite, firstNonFinite == nil { firstNonFinite = (name, value, parsed.step) }
    }
  }

  private func reject(_ problem: MetricsLineProblem) {
    badLines += 1
    if firstProblem == nil { firstProblem = "line \(lineNumber): \(problem)" }
  }
}
