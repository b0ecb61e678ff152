/// Regions of many images in flat arrays: image `i` owns rows `offsets[i] ..< offsets[i + 1]`.
/// Each row has a box (normalized x1, y1, x2, y2), an 8-bit 3x16x16 patch (the trainer's extractor
/// input; a masked RoI is zeroed here), the detector's 256-d feature and its 13 class probabilities.
public struct RegionSet: Sendable, Equatable {
  public var offsets: [Int] = [0]
  public var boxes: [Float] = []
  public var patches: [UInt8] = []
  public var features: [Float] = []
  public var scores: [Float] = []

  public init() {}

  public var count: Int { offsets.last! }
  public var imageCount: Int { offsets.count - 1 }
  public func rows(of image: Int) -> Range<Int> { offsets[image]..<offsets[image + 1] }

  public func box(_ row: Int) -> [Float] { Array(boxes[(row * 4)..<(row * 4 + 4)]) }
  public func patch(_ row: Int) -> ArraySlice<UInt8> {
    patches[(row * Patch.length)..<((row + 1) * Patch.length)]
  }
  public func feature(_ row: Int) -> ArraySlice<Float> {
    features[(row * Detector.featureWidth)..<((row + 1) * Detector.featureWidth)]
  }
  public func classScores(_ row: Int) -> ArraySlice<Float> {
    scores[(row * Detector.classes)..<((row + 1) * Detector.classes)]
  }

  mutating func append(boxes b: [Float], patches p: [UInt8], features f: [Float], scores s: [Float]) {
    boxes += b
    patches += p
    features += f
    scores += s
    offsets.append(offsets.last! + b.count / 4)
  }
}

extension Detector {
  /// Candidate boxes of a scene: each object twice with localisation noise, and random boxes.
  static func proposals(_ scene: Scene, rng: inout SeededRandom) -> [Box] {
    var boxes: [Box] = []
    for o in scene.objects {
      boxes.append(jitter(o.box, 0.1, rng: &rng))
      boxes.append(jitter(o.box, 0.2, rng: &rng))
    }
    for _ in 0..<12 {
      let w = Float(rng.int(6...26))
      let h = Float(rng.int(6...26))
      let x = Float(rng.int(0...(Scene.size - Int(w))))
      let y = Float(rng.int(0...(Scene.size - Int(h))))
      boxes.append(Box(x1: x, y1: y, x2: x + w, y2: y + h))
    }
    return boxes
  }

  /// Detected regions of one image from its scored proposals: non-maximum suppression at IoU 0.5,
  /// kept at score >= 0.5, topped up to `count.lowerBound` by score, capped at `count.upperBound`.
  /// Returns the chosen proposal indices, best first.
  static func select(_ boxes: [Box], scores: ArraySlice<Float>, count: ClosedRange<Int>) -> [Int] {
    let k = Detector.classes
    let base = scores.startIndex
    let objectness = boxes.indices.map { r in scores[(base + r * k)..<(base + r * k + k - 1)].max()! }
    let order = boxes.indices.sorted {
      objectness[$0] > objectness[$1] || (objectness[$0] == objectness[$1] && $0 < $1)
    }
    var kept: [Int] = []
    for r in order where kept.allSatisfy({ boxes[$0].iou(boxes[r]) < 0.5 }) { kept.append(r) }
    var chosen = kept.filter { objectness[$0] >= Detector.threshold }
    if chosen.count < count.lowerBound {
      chosen += kept.filter { objectness[$0] < Detector.threshold }.prefix(count.lowerBound - chosen.count)
    }
    return Array(chosen.prefix(count.upperBound))
  }
}
