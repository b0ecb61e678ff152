import Foundation
import NN

/// Everything a trainer consumes: images, every dataset's annotations, the vocabulary, per-image
/// detected and ground-truth regions, the whole-image patch, and the detector that made them (its
/// weights initialize the trainer's extractor). Built from the synthetic world, or read from a
/// directory in the export format (which is how real data comes in).
public struct WorldData: Sendable {
  public var name: String
  /// The generators' version (for data read from disk, the manifest's `worldVersion`).
  public var version: WorldVersion
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
  /// How many times its scale's fine-tuning training sets this world holds (`WorldLayout.finetuneMultiple`).
  public var finetuneMultiple = 1
}

extension WorldData {
  /// Builds `version`'s world for (seed, scale): layout, detector (trained on its own scenes), regions.
  public static func build(
    seed: UInt64, scale: WorldScale, version: WorldVersion = .standard, finetuneMultiple: Int = 1,
    log: (String) -> Void = { _ in }
  ) -> WorldData {
    let layout = WorldLayout(seed: seed, scale: scale, version: version, finetuneMultiple: finetuneMultiple)
    log("layout: \(layout.images.count) images")
    let detectorScenes = layout.detectorScenes()
    let cut = detectorScenes.count * 4 / 5
    let (detector, report) = Detector.train(
      scenes: Array(detectorScenes[..<cut]), heldOut: Array(detectorScenes[cut...]),
      epochs: scale.sizes(for: version).detectorEpochs, seed: seed,
      recipe: version >= .v2 ? .attributes : .greyCategories)
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
    let name =
      version == .v1
      ? "synthetic-\(scale.rawValue)-\(seed)" : "synthetic-v\(version.rawValue)-\(scale.rawValue)-\(seed)"
    return WorldData(
      name: finetuneMultiple == 1 ? name : "\(name)-finetune-x\(finetuneMultiple)",
      version: version, vocabulary: .world(version), answers: VQA.answerSet,
      images: layout.images,
      captions: layout.captions, text: layout.text, vqa: layout.vqa, vcr: layout.vcr, refcoco: layout.refcoco,
      detected: detected, groundTruth: groundTruth, whole: whole, detector: detector, detectorReport: report,
      finetuneMultiple: finetuneMultiple)
  }

  typealias Rows = ([Float], [UInt8], [Float], [Float])
  struct ImageRegions: Sendable {
    var detected: Rows
    var truth: Rows
    var whole: Rows
  }

  /// Renders every image and runs the detector. Rendering and proposals are spread over the
  /// cores (each image with its own random stream); the detector then runs over large batches
  /// with the engine's own parallel matrix products. Nothing depends on scheduling.
  static func extract(layout: WorldLayout, detector: Detector) -> [ImageRegions] {
    let root = SeededRandom(seed: layout.seed).split("detect")
    let regions = layout.scale.sizes(for: layout.version).regions
    let f = Detector.featureWidth
    let k = Detector.classes
    let p = Patch.length
    var out: [ImageRegions] = []
    var chunk = 0
    while chunk < layout.scenes.count {
      // The 1x world's images are never batched with extra training images (its regions stay the same).
      let end = chunk < layout.baseImageCount ? layout.baseImageCount : layout.scenes.count
      let ids = Array(chunk..<min(chunk + 512, end))
      struct Crops: Sendable {
        var proposals: [Box]
        var patches: [UInt8]  // proposals, then ground truth, then the whole image
      }
      let crops = UnsafeResults<Crops>(count: ids.count)
      DispatchQueue.concurrentPerform(iterations: ids.count) { j in
        let scene = layout.scenes[ids[j]]
        let image = scene.render()
        var rng = root.split("image", ids[j])
        let proposals = Detector.proposals(scene, rng: &rng)
        var patches = proposals.flatMap { image.patch($0) }
        for o in scene.objects { patches += image.patch(o.box) }
        patches += image.patch(Scene.wholeBox)
        crops.set(j, Crops(proposals: proposals, patches: patches))
      }
      let all = crops.values
      let (features, scores) = detector.run(all.flatMap(\.patches))
      var row = 0
      for (j, c) in all.enumerated() {
        let scene = layout.scenes[ids[j]]
        let n = c.proposals.count
        let chosen = Detector.select(c.proposals, scores: scores[(row * k)..<((row + n) * k)], count: regions)
        func rows(_ r: [Int]) -> Rows {
          (
            [], r.flatMap { c.patches[($0 * p)..<(($0 + 1) * p)] },
            r.flatMap { features[((row + $0) * f)..<((row + $0 + 1) * f)] },
            r.flatMap { scores[((row + $0) * k)..<((row + $0 + 1) * k)] }
          )
        }
        var detected = rows(chosen)
        detected.0 = chosen.flatMap { c.proposals[$0].normalized(by: Scene.size) }
        var truth = rows(Array(n..<(n + scene.objects.count)))
        truth.0 = scene.objects.flatMap { $0.box.normalized(by: Scene.size) }
        var whole = rows([n + scene.objects.count])
        whole.0 = Scene.wholeBox.normalized(by: Scene.size)
        out.append(ImageRegions(detected: detected, truth: truth, whole: whole))
        row += n + scene.objects.count + 1
      }
      chunk += ids.count
    }
    return out
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
