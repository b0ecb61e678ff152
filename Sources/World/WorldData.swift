import Foundation

/// Everything a trainer consumes: images, every dataset's annotations, the vocabulary, per-image
/// detected and ground-truth regions, the whole-image patch, and the detector that made them (its
/// weights initialize the trainer's extractor). Built from the synthetic world, or read from a
/// directory in the export format (which is how real data comes in).
public struct WorldData: Sendable {
  public var name: String
  public var vocabulary: Vocabulary
  public var answers: [String]
  public var images: [ImageRecord]
  public var captions: [CaptionSample]
  public var text: [TextSample]
  public var vqa: [VQASample]
  public var vcr: [VCRSample]
  public var refcoco: [RefSample]
  /// Detected regions (the paper's 10-100 RoIs at score 0.5, here `scale.sizes.regions`).
  public var detected: RegionSet
  /// Ground-truth regions, in the order of each image's `objects`.
  public var groundTruth: RegionSet
  /// The whole image resized to 3x16x16, one row per image.
  public var whole: RegionSet
  public var detector: Detector?
  public var detectorReport: DetectorReport?
}

/// Bumped whenever generation changes, so caches of older worlds are never reused.
public let worldVersion = 1

extension WorldData {
  /// Builds the world for (seed, scale): layout, detector (trained on its own scenes), regions.
  public static func build(seed: UInt64, scale: WorldScale, log: (String) -> Void = { _ in }) -> WorldData {
    let layout = WorldLayout(seed: seed, scale: scale)
    log("layout: \(layout.images.count) images")
    let detectorScenes = layout.detectorScenes()
    let cut = detectorScenes.count * 4 / 5
    let (detector, report) = Detector.train(
      scenes: Array(detectorScenes[..<cut]), heldOut: Array(detectorScenes[cut...]),
      epochs: scale.sizes.detectorEpochs, seed: seed)
    log("detector: category accuracy \(report.categoryAccuracy)")
    let perImage = extract(layout: layout, detector: detector)
    var detected = RegionSet()
    var groundTruth = RegionSet()
    var whole = RegionSet()
    for r in perImage {
      detected.append(
        boxes: r.detected.0, patches: r.detected.1, features: r.detected.2, scores: r.detected.3)
      groundTruth.append(boxes: r.truth.0, patches: r.truth.1, features: r.truth.2, scores: r.truth.3)
      whole.append(boxes: r.whole.0, patches: r.whole.1, features: r.whole.2, scores: r.whole.3)
    }
    return WorldData(
      name: "synthetic-\(scale.rawValue)-\(seed)", vocabulary: .world, answers: VQA.answerSet,
      images: layout.images,
      captions: layout.captions, text: layout.text, vqa: layout.vqa, vcr: layout.vcr, refcoco: layout.refcoco,
      detected: detected, groundTruth: groundTruth, whole: whole, detector: detector, detectorReport: report)
  }

  typealias Rows = ([Float], [UInt8], [Float], [Float])
  struct ImageRegions: Sendable {
    var detected: Rows
    var truth: Rows
    var whole: Rows
  }

  /// Renders every image and runs the detector; images are independent, so they are spread over
  /// the cores, each with its own random stream, and the result does not depend on scheduling.
  static func extract(layout: WorldLayout, detector: Detector) -> [ImageRegions] {
    let n = layout.scenes.count
    let results = UnsafeResults<ImageRegions>(count: n)
    let root = SeededRandom(seed: layout.seed).split("detect")
    let regions = layout.scale.sizes.regions
    DispatchQueue.concurrentPerform(iterations: n) { i in
      let scene = layout.scenes[i]
      let image = scene.render()
      var rng = root.split("image", i)
      let d = detector.detect(scene, image: image, count: regions, rng: &rng)
      let truthBoxes = scene.objects.map(\.box)
      let truthPatches = truthBoxes.flatMap { image.patch($0) }
      let t = detector.run(truthPatches)
      let wholePatch = image.patch(Scene.wholeBox)
      let w = detector.run(wholePatch)
      results.set(
        i,
        ImageRegions(
          detected: (d.boxes.flatMap { $0.normalized(by: Scene.size) }, d.patches, d.features, d.scores),
          truth: (truthBoxes.flatMap { $0.normalized(by: Scene.size) }, truthPatches, t.features, t.scores),
          whole: (Scene.wholeBox.normalized(by: Scene.size), wholePatch, w.features, w.scores)))
    }
    return results.values
  }
}

/// Slots written once each from concurrent iterations (each index by exactly one), read after.
final class UnsafeResults<T>: @unchecked Sendable {
  private var slots: [T?]
  private let lock = NSLock()
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: T) {
    lock.lock()
    slots[i] = value
    lock.unlock()
  }
  var values: [T] { slots.map { $0! } }
}
