/// The `--array=` value for a set of task indices: ranges where they run on ("0-19"), single indices
/// otherwise ("3,7,12"), and the throttle (`%4`).
public struct ArrayRange: Sendable, Hashable, CustomStringConvertible {
  public var indices: [Int]
  public var throttle: Int?

  public init(indices: [Int], throttle: Int?) {
    self.indices = Array(Set(indices)).sorted()
    self.throttle = throttle
  }

  public var description: String {
    var parts: [String] = []
    var i = 0
    while i < indices.count {
      var j = i
      while j + 1 < indices.count, indices[j + 1] == indices[j] + 1 { j += 1 }
      parts.append(j == i ? "\(indices[i])" : "\(indices[i])-\(indices[j])")
      i = j + 1
    }
    return parts.joined(separator: ",") + (throttle.map { "%\($0)" } ?? "")
  }

  /// Positions in a spec's cell list -> (chunk, index in the chunk): an array holds at most `maxArraySize`
  /// elements, numbered below it, so position p goes to array p / max as index p % max.
  public static func chunks(positions: [Int], maxArraySize: Int) -> [Int: [Int]] {
    var chunks: [Int: [Int]] = [:]
    for p in positions { chunks[p / maxArraySize, default: []].append(p % maxArraySize) }
    return chunks
  }
}
