import NN
import World

/// Linear probes of colour and texture on an extractor's region features: how much of an object's
/// attributes the features a stage leaves behind still carry. Fitted on the ground-truth regions of
/// training caption images, scored on those of validation caption images (both in the task images' domain).
public struct AttributeProbe: Sendable {
  let fitPatches: [UInt8]
  let fitObjects: [SceneObject]
  let testPatches: [UInt8]
  let testObjects: [SceneObject]

  public init(view: WorldView, fitImages: Int = 400, testImages: Int = 250) {
    func regions(_ split: Split, _ limit: Int) -> ([UInt8], [SceneObject]) {
      var patches: [UInt8] = []
      var objects: [SceneObject] = []
      let images = view.world.images.filter { $0.dataset == .captions && $0.split == split }.prefix(limit)
      for image in images {
        let truth = view.groundTruth(image.id)
        for (region, object) in zip(truth, image.objects) {
          patches += region.patch
          objects.append(object)
        }
      }
      return (patches, objects)
    }
    (fitPatches, fitObjects) = regions(.train, fitImages)
    (testPatches, testObjects) = regions(.val, testImages)
  }

  static func label(_ o: SceneObject, _ attribute: Diagnostic.Attribute) -> Int {
    attribute == .colour ? o.colour.rawValue : o.texture.rawValue
  }

  static func classes(_ attribute: Diagnostic.Attribute) -> Int {
    attribute == .colour ? Colour.allCases.count : Texture.allCases.count
  }

  /// Held-out accuracy (percent) of each attribute's probe on `extractor`'s features; with `shuffled`, the
  /// fitting labels are permuted (a control: it must score at chance).
  public func accuracy(_ extractor: Extractor, shuffled: Bool = false) -> [Diagnostic.Attribute: Double] {
    func rows(_ patches: [UInt8]) -> [[Float]] {
      let f = Detector.featureWidth
      let x = Autograd.inference { extractor(patches, tune: false).scalars }
      return (0..<(x.count / f)).map { Array(x[($0 * f)..<(($0 + 1) * f)]) }
    }
    let (fit, test) = (rows(fitPatches), rows(testPatches))
    var out: [Diagnostic.Attribute: Double] = [:]
    for attribute in Diagnostic.Attribute.allCases {
      var labels = fitObjects.map { Self.label($0, attribute) }
      if shuffled {
        var rng = SeededRandom(seed: 0x5B0F).split("shuffle/\(attribute.rawValue)")
        labels.shuffle(using: &rng)
      }
      let accuracy = Probe.accuracy(
        fit: fit, labels, test: test, testObjects.map { Self.label($0, attribute) },
        classes: Self.classes(attribute), seed: SeededRandom(seed: 0x960B).split(attribute.rawValue))
      out[attribute] = 100 * Double(accuracy)
    }
    return out
  }

  /// The probes' metrics for `stage`, on the extractor it started from (`before`) or the one it left.
  public func metrics(stage: String, _ extractor: Extractor, before: Bool) -> [String: Double] {
    var m: [String: Double] = [:]
    for (attribute, a) in accuracy(extractor) {
      m[Diagnostic.probe(stage: stage, attribute, before: before)] = a
    }
    return m
  }
}
