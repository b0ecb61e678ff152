import Foundation

/// Per-step values of one stage, kept in the stage directory so a reused stage can re-emit them.
public struct Curve: Sendable, Equatable {
  public var points: [Point] = []

  public struct Point: Sendable, Equatable, Codable {
    public var step: Int
    public var values: [String: Double]
  }

  public init() {}

  public mutating func record(_ step: Int, _ values: [String: Double]) {
    points.append(Point(step: step, values: values))
  }

  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    var text = ""
    for p in points { text += String(decoding: try encoder.encode(p), as: UTF8.self) + "\n" }
    try Data(text.utf8).write(to: url, options: .atomic)
  }

  public init(contentsOf url: URL) throws {
    let text = try String(contentsOf: url, encoding: .utf8)
    let decoder = JSONDecoder()
    points = try text.split(separator: "\n").map { try decoder.decode(Point.self, from: Data($0.utf8)) }
  }
}

/// Final values of a stage (metrics and wall time), as JSON in the stage directory.
public struct StageSummary: Sendable, Codable, Equatable {
  public var metrics: [String: Double]
  public var seconds: Double

  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try encoder.encode(self).write(to: url, options: .atomic)
  }

  public init(metrics: [String: Double], seconds: Double) {
    self.metrics = metrics
    self.seconds = seconds
  }

  public init(contentsOf url: URL) throws {
    self = try JSONDecoder().decode(StageSummary.self, from: Data(contentsOf: url))
  }
}
