/// How big a world to build. Version 2 keeps the paper's ratios of unique captions per fine-tuning
/// item (at least 7.4x VQA, 11-15x VCR, 23x RefCOCO+) at every scale; version 1 did not (1.7x to 3.3x).
public enum WorldScale: String, Codable, Sendable, CaseIterable {
  /// Seconds; for tests.
  case smoke
  /// The default for reports: a full ablation table in well under an hour on two cores.
  case small
  /// Larger, for patient users.
  case paper

  /// Images (or sentences, for `text`) per dataset and split, and samples per image.
  public struct Sizes: Sendable {
    public var captionImages: [Split: Int]
    public var textSentences: [Split: Int]
    public var vqaImages: [Split: Int]
    public var vqaPerImage: Int
    public var vcrImages: [Split: Int]
    public var vcrPerImage: Int
    public var refImages: [Split: Int]
    public var refPerImage: Int
    /// Scenes whose ground-truth crops train the detector (the Visual Genome analog).
    public var detectorScenes: Int
    public var detectorEpochs: Int
    public var objects: ClosedRange<Int>
    /// Detected regions kept per image (the paper keeps 10 to 100).
    public var regions: ClosedRange<Int>
  }

  /// The sizes of `version`'s world at this scale.
  public func sizes(for version: WorldVersion) -> Sizes {
    switch version {
    case .v1: v1Sizes
    case .v2, .v3: v2Sizes
    }
  }

  var v1Sizes: Sizes {
    switch self {
    case .smoke:
      Sizes(
        captionImages: [.train: 120, .val: 20, .test: 20], textSentences: [.train: 200, .val: 30, .test: 30],
        vqaImages: [.train: 40, .val: 15, .test: 15], vqaPerImage: 3,
        vcrImages: [.train: 40, .val: 15, .test: 15], vcrPerImage: 2,
        refImages: [.train: 40, .val: 15, .testA: 15, .testB: 15], refPerImage: 2,
        detectorScenes: 200, detectorEpochs: 4, objects: 3...6, regions: 4...12)
    case .small:
      Sizes(
        captionImages: [.train: 4000, .val: 250, .test: 250],
        textSentences: [.train: 12000, .val: 500, .test: 500],
        vqaImages: [.train: 800, .val: 200, .test: 300], vqaPerImage: 3,
        vcrImages: [.train: 800, .val: 150, .test: 250], vcrPerImage: 2,
        refImages: [.train: 600, .val: 100, .testA: 120, .testB: 120], refPerImage: 2,
        detectorScenes: 2500, detectorEpochs: 8, objects: 3...6, regions: 4...12)
    case .paper:
      Sizes(
        captionImages: [.train: 20000, .val: 1000, .test: 1000],
        textSentences: [.train: 60000, .val: 2000, .test: 2000],
        vqaImages: [.train: 4000, .val: 800, .test: 1200], vqaPerImage: 3,
        vcrImages: [.train: 4000, .val: 600, .test: 1000], vcrPerImage: 2,
        refImages: [.train: 3000, .val: 400, .testA: 500, .testB: 500], refPerImage: 2,
        detectorScenes: 5000, detectorEpochs: 8, objects: 3...7, regions: 4...16)
    }
  }

  /// Version 2: a caption corpus 10-32x every fine-tuning training set (the paper's 7.4x, 11-15x, 23x),
  /// scarce fine-tuning sets that leave the long tail of concepts uncovered, evaluation splits as v1's.
  var v2Sizes: Sizes {
    switch self {
    case .smoke:
      Sizes(
        captionImages: [.train: 700, .val: 40, .test: 40], textSentences: [.train: 400, .val: 40, .test: 40],
        vqaImages: [.train: 20, .val: 15, .test: 15], vqaPerImage: 3,
        vcrImages: [.train: 20, .val: 15, .test: 15], vcrPerImage: 2,
        refImages: [.train: 12, .val: 15, .testA: 15, .testB: 15], refPerImage: 2,
        detectorScenes: 200, detectorEpochs: 4, objects: 3...6, regions: 4...12)
    case .small:
      Sizes(
        captionImages: [.train: 16000, .val: 250, .test: 250],
        textSentences: [.train: 24000, .val: 500, .test: 500],
        vqaImages: [.train: 500, .val: 200, .test: 300], vqaPerImage: 3,
        vcrImages: [.train: 500, .val: 150, .test: 250], vcrPerImage: 2,
        refImages: [.train: 250, .val: 100, .testA: 120, .testB: 120], refPerImage: 2,
        detectorScenes: 3000, detectorEpochs: 8, objects: 3...6, regions: 4...12)
    case .paper:
      Sizes(
        captionImages: [.train: 60000, .val: 1000, .test: 1000],
        textSentences: [.train: 120000, .val: 2000, .test: 2000],
        vqaImages: [.train: 2000, .val: 800, .test: 1200], vqaPerImage: 3,
        vcrImages: [.train: 2000, .val: 600, .test: 1000], vcrPerImage: 2,
        refImages: [.train: 1000, .val: 400, .testA: 500, .testB: 500], refPerImage: 2,
        detectorScenes: 8000, detectorEpochs: 8, objects: 3...7, regions: 4...16)
    }
  }
}
