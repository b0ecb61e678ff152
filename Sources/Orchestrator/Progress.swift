import Foundation
import Spec
import Store

/// Human progress: one redrawn line on a terminal, plain lines otherwise.
public final class Progress: @unchecked Sendable {
  private let lock = NSLock()
  private let isTTY: Bool
  private let started = Date()
  private var toRun: Int
  private var finished = 0
  private var running: Set<String> = []
  private var durations: Double = 0
  private let write: @Sendable (String) -> Void

  public init(toRun: Int, isTTY: Bool, write: @escaping @Sendable (String) -> Void) {
    self.toRun = toRun
    self.isTTY = isTTY
    self.write = write
  }

  public func started(_ cell: Cell) {
    lock.withLock {
      running.insert(cell.id)
      redraw()
    }
  }

  public func retrying(_ cell: Cell, status: CellStatus, attempt: Int) {
    lock.withLock {
      line("retry \(cell.label) after \(status.rawValue) (attempt \(attempt))")
    }
  }

  public func finished(_ cell: Cell, status: CellStatus, seconds: Double, note: String?) {
    lock.withLock {
      running.remove(cell.id)
      finished += 1
      durations += seconds
      let detail = note.map { ": \($0)" } ?? ""
      if !isTTY || status != .done {
        line("[\(finished)/\(toRun)] \(status.rawValue) \(cell.label) \(Self.format(seconds))\(detail)")
      }
      redraw()
    }
  }

  /// A cell that another runner held and this one later found settled: no longer ours to count.
  public func handedOff(_ cell: Cell) {
    lock.withLock {
      toRun -= 1
      redraw()
    }
  }

  /// A line about the run that is not a cell's result (a stage produced).
  public func note(_ text: String) {
    lock.withLock {
      line(text)
      redraw()
    }
  }

  public func stopped(_ cell: Cell) {
    lock.withLock {
      running.remove(cell.id)
      redraw()
    }
  }

  public func finish() {
    lock.withLock { if isTTY { write("\r\u{1B}[K") } }
  }

  private func line(_ text: String) {
    write((isTTY ? "\r\u{1B}[K" : "") + text + "\n")
  }

  private func redraw() {
    guard isTTY else { return }
    let elapsed = Date().timeIntervalSince(started)
    var eta = "?"
    if finished > 0 {
      eta = Self.format(elapsed / Double(finished) * Double(max(0, toRun - finished)))
    }
    write(
      "\r\u{1B}[K[\(finished)/\(toRun)] running \(running.count), elapsed \(Self.format(elapsed)), ETA \(eta)"
    )
  }

  static func format(_ seconds: Double) -> String {
    if seconds < 60 { return String(format: "%.1fs", seconds) }
    let s = Int(seconds.rounded())
    if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
    return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
  }
}
