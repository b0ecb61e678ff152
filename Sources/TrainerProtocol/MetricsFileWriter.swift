import Foundation

/// Appends JSON lines to the `ABLATE_METRICS` file, one flushed line per call.
public final class MetricsFileWriter: MetricsSink {
  private let handle: FileHandle

  public init(path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
      _ = FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    handle.seekToEndOfFile()
    self.handle = handle
  }

  deinit { try? handle.close() }

  /// Writes the line through the reader's own codec, so what a built-in logs is what the runner reads back.
  public func log(step: Int?, _ values: [String: Double]) throws {
    if let step, abs(step) > MetricsLine.maxStep {
      throw MetricsLineProblem("step \(step) is not within ±2^53")
    }
    let line = MetricsLine(step: step, values: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    let text = line.encoded()
    guard text.utf8.count <= MetricsLine.maxBytes else {
      throw MetricsLineProblem(
        "a metrics line of \(text.utf8.count) bytes is longer than \(MetricsLine.maxBytes)")
    }
    try handle.write(contentsOf: Data((text + "\n").utf8))
  }
}
