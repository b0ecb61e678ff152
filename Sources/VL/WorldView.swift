import World

/// The world's regions by image id, as the model's inputs.
public struct WorldView: Sendable {
  public let world: WorldData
  let index: [Int: Int]
  public let vocabulary: Vocabulary

  public init(_ world: WorldData) {
    self.world = world
    vocabulary = world.vocabulary
    var index: [Int: Int] = [:]
    for (i, image) in world.images.enumerated() { index[image.id] = i }
    self.index = index
  }

  func rows(_ set: RegionSet, _ image: Int) -> [RegionInput] {
    set.rows(of: index[image]!).map { RegionInput(patch: Array(set.patch($0)), box: set.box($0)) }
  }

  public func whole(_ image: Int) -> RegionInput { rows(world.whole, image)[0] }
  public func detected(_ image: Int) -> [RegionInput] { rows(world.detected, image) }
  public func groundTruth(_ image: Int) -> [RegionInput] { rows(world.groundTruth, image) }
  /// The detector's class probabilities of each detected region (masked RoI classification targets).
  public func detectedScores(_ image: Int) -> [[Float]] {
    world.detected.rows(of: index[image]!).map { Array(world.detected.classScores($0)) }
  }

  public func tokens(_ text: String, limit: Int = 40) -> [Int] {
    Array(vocabulary.encode(text).prefix(limit))
  }
}
