import World

/// A masked word of a batch: where its output is read, and the word it must predict.
public struct MaskedWord: Sendable, Equatable {
  public var position: BatchPosition
  public var word: Int
}

/// A masked RoI of a batch: where its output is read, and the detector's class probabilities it must predict.
public struct MaskedRegion: Sendable, Equatable {
  public var position: BatchPosition
  public var classScores: [Float]
}

/// Sentence-image relation: whether a batch sequence's caption belongs to its image.
public struct RelationLabel: Sendable, Equatable {
  public var sequence: Int
  public var matched: Bool
}

/// A region-naming target: an image, and the word a `[MASK]` before its RoIs must say.
public struct NamedRegion: Sendable, Equatable {
  public var image: Int
  public var word: Int
}

/// One pre-training sequence with what its masking hides.
public struct MaskedSequence: Sendable {
  public var sequence: VLSequence
  public var words: [MaskedWord]
  public var regions: [MaskedRegion] = []
}
