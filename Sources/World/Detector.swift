import Foundation
import NN

/// The detector's network: exactly the trainer's region extractor (768 -> 256 -> 256, ReLU), so
/// the trainer can start from these weights, plus a linear classifier over 12 categories and
/// background, and (version 2) attribute heads. Parameter names (`fc1.weight`, ...,
/// `attributes.colour.weight`) are those of the saved safetensors.
public final class DetectorNetwork: Module, @unchecked Sendable {
  public let fc1: Linear
  public let fc2: Linear
  public let classifier: Linear
  public let attributes: AttributeHeads?

  public init(generator: RandomGenerator, attributes: Bool = false) {
    fc1 = Linear(Patch.length, Detector.featureWidth, generator: generator)
    fc2 = Linear(Detector.featureWidth, Detector.featureWidth, generator: generator)
    classifier = Linear(Detector.featureWidth, Detector.classes, generator: generator)
    self.attributes = attributes ? AttributeHeads(generator: generator) : nil
  }

  /// The 256-d appearance feature of each row of `x` ([n, 768]).
  public func features(_ x: Tensor) -> Tensor { fc2(fc1(x).relu()).relu() }

  /// Sets each first-layer weight to the mean over the three colour channels of its pixel. Grey
  /// training inputs give the three equal gradients; re-tying after every step keeps them exactly
  /// equal whatever the summation order of the matrix products.
  func tieChannels() {
    let plane = Patch.side * Patch.side
    let inputs = Patch.length
    fc1.weight.withUnsafeMutableBufferPointer { w in
      for o in 0..<Detector.featureWidth {
        let row = o * inputs
        for p in 0..<plane {
          let mean = (w[row + p] + w[row + plane + p] + w[row + 2 * plane + p]) / 3
          w[row + p] = mean
          w[row + plane + p] = mean
          w[row + 2 * plane + p] = mean
        }
      }
    }
  }
}

/// Bottom-up attention's attribute classifiers: colour and texture from the 256-d feature.
/// Trained beside the category classifier (Visual Genome's attribute labels), they make the
/// features carry the attributes that captions, VQA and RefCOCO+ name.
public final class AttributeHeads: Module, @unchecked Sendable {
  public let colour: Linear
  public let texture: Linear

  init(generator: RandomGenerator) {
    colour = Linear(Detector.featureWidth, Colour.allCases.count, generator: generator)
    texture = Linear(Detector.featureWidth, Texture.allCases.count, generator: generator)
  }
}

/// How the detector is trained, by world version.
public enum DetectorRecipe: String, Codable, Sendable {
  /// Version 1: grey crops, channel-tied first layer, categories only; colour survives only as brightness.
  case greyCategories
  /// Version 2: colour crops, categories plus colour and texture heads (bottom-up attention).
  case attributes
}

/// The Fast R-CNN stand-in, trained on its own detection set (the Visual Genome analog).
public struct Detector: Sendable {
  public static let featureWidth = 256
  /// Categories then background.
  public static let classes = Category.allCases.count + 1
  public static var background: Int { classes - 1 }
  /// A region is kept when its best category probability reaches this, as the paper's 0.5.
  public static let threshold: Float = 0.5

  public let network: DetectorNetwork

  public init(network: DetectorNetwork) { self.network = network }

  /// Network input rows for byte patches.
  static func tensor(_ patches: ArraySlice<UInt8>) -> Tensor {
    Tensor(patches.map(Patch.float), shape: [patches.count / Patch.length, Patch.length])
  }

  /// Appearance features (n x 256) and class probabilities (n x 13) of `n` byte patches.
  public func run(_ patches: [UInt8]) -> (features: [Float], scores: [Float]) {
    let n = patches.count / Patch.length
    var features: [Float] = []
    var scores: [Float] = []
    features.reserveCapacity(n * Detector.featureWidth)
    scores.reserveCapacity(n * Detector.classes)
    var start = 0
    while start < n {
      let rows = min(2048, n - start)
      Autograd.inference {
        let f = network.features(
          Detector.tensor(patches[(start * Patch.length)..<((start + rows) * Patch.length)]))
        features += f.scalars
        scores += network.classifier(f).softmax().scalars
      }
      start += rows
    }
    return (features, scores)
  }
}

/// What the detector learned, measured on scenes it never saw.
public struct DetectorReport: Codable, Sendable, Equatable {
  public var trainingRegions: Int
  public var epochs: Int
  public var finalLoss: Float
  /// Category accuracy (argmax over the 12 categories) on held-out ground-truth boxes.
  public var categoryAccuracy: Float
  /// Foreground/background accuracy on held-out jittered and background boxes.
  public var objectnessAccuracy: Float
  /// Accuracy of a linear probe predicting colour (8 classes) from the 256-d features.
  public var colourProbe: Float
  /// The same probe on the raw 768 pixels: how much colour there was to keep.
  public var colourProbePixels: Float
  /// Accuracy of a linear probe predicting texture (4 classes) from the features, and from pixels.
  public var textureProbe: Float
  public var textureProbePixels: Float
  /// Version 2: the attribute heads' accuracy on held-out detection-set boxes.
  public var colourAccuracy: Float?
  public var textureAccuracy: Float?
  /// Version 2: the same held-out scenes photographed in the task images' domain.
  public var taskDomain: DomainReport?
}

/// How well the detector reads boxes of scenes photographed in another domain than its training set's.
public struct DomainReport: Codable, Sendable, Equatable {
  public var domain: RenderDomain
  public var categoryAccuracy: Float
  public var colourAccuracy: Float?
  public var textureAccuracy: Float?
  /// The colour probe on the features of these boxes (fitted and tested on this domain).
  public var colourProbe: Float
}

/// A labelled region crop for training or probing.
struct RegionExample {
  var patch: [UInt8]
  var label: Int
  var object: SceneObject?
}

extension Detector {
  /// A box around `box` with its corners moved by up to `amount` of its size (localisation noise).
  static func jitter(_ box: Box, _ amount: Float, rng: inout SeededRandom) -> Box {
    let w = box.width
    let h = box.height
    let b = Box(
      x1: box.x1 + w * amount * rng.uniform(-1...1), y1: box.y1 + h * amount * rng.uniform(-1...1),
      x2: box.x2 + w * amount * rng.uniform(-1...1), y2: box.y2 + h * amount * rng.uniform(-1...1)
    ).clipped(to: Scene.size)
    return b.width >= 3 && b.height >= 3 ? b : box
  }

  /// A random box that overlaps no object much (a background proposal).
  static func backgroundBox(_ scene: Scene, rng: inout SeededRandom) -> Box {
    var best = Scene.wholeBox
    for _ in 0..<20 {
      let w = Float(rng.int(6...22))
      let h = Float(rng.int(6...22))
      let x = Float(rng.int(0...(Scene.size - Int(w))))
      let y = Float(rng.int(0...(Scene.size - Int(h))))
      best = Box(x1: x, y1: y, x2: x + w, y2: y + h)
      if scene.objects.allSatisfy({ $0.box.iou(best) < 0.3 }) { break }
    }
    return best
  }

  /// Training crops of one scene: each object twice (slightly jittered), and as many background boxes.
  static func examples(_ scene: Scene, rng: inout SeededRandom) -> [RegionExample] {
    let image = scene.render()
    var out: [RegionExample] = []
    for o in scene.objects {
      for _ in 0..<2 {
        out.append(
          RegionExample(
            patch: image.patch(jitter(o.box, 0.08, rng: &rng)), label: o.category.rawValue, object: o))
      }
    }
    for _ in scene.objects {
      let b = backgroundBox(scene, rng: &rng)
      let fg = scene.objects.first { $0.box.iou(b) >= 0.5 }
      out.append(
        RegionExample(patch: image.patch(b), label: fg?.category.rawValue ?? Detector.background, object: fg))
    }
    return out
  }

  /// A training batch: inputs (grey for version 1), category labels, and colour and texture labels
  /// (-1 on background rows, which the losses skip).
  struct Batch {
    var x: Tensor
    var category: [Int]
    var colour: [Int]
    var texture: [Int]
  }

  static func batch(_ examples: [RegionExample], _ range: Range<Int>, grey useGrey: Bool) -> Batch {
    var x: [UInt8] = []
    x.reserveCapacity(range.count * Patch.length)
    var b = Batch(x: Tensor([0], shape: [1]), category: [], colour: [], texture: [])
    for e in examples[range] {
      x += useGrey ? grey(e.patch) : e.patch
      b.category.append(e.label)
      let object = e.label == Detector.background ? nil : e.object
      b.colour.append(object?.colour.rawValue ?? -1)
      b.texture.append(object?.texture.rawValue ?? -1)
    }
    b.x = tensor(x[...])
    return b
  }

  /// The grey version of a patch (the mean of the three channels in every channel). The detector
  /// learns categories from grey crops only, so it sees colour only as brightness: colour words
  /// then need an extractor tuned on the RGB patches, which is what the paper's last row does.
  static func grey(_ patch: [UInt8]) -> [UInt8] {
    let plane = Patch.side * Patch.side
    var out = patch
    for i in 0..<plane {
      let g = UInt8((Int(patch[i]) + Int(patch[plane + i]) + Int(patch[2 * plane + i]) + 1) / 3)
      out[i] = g
      out[plane + i] = g
      out[2 * plane + i] = g
    }
    return out
  }

  /// Trains the detector on `scenes` by `recipe`, measures it on `heldOut`.
  public static func train(
    scenes: [Scene], heldOut: [Scene], epochs: Int, seed: UInt64, recipe: DetectorRecipe = .greyCategories
  ) -> (Detector, DetectorReport) {
    let tied = recipe == .greyCategories
    let root = SeededRandom(seed: seed).split("detector")
    var examples: [RegionExample] = []
    for (i, scene) in scenes.enumerated() {
      var rng = root.split("crops", i)
      examples += Detector.examples(scene, rng: &rng)
    }
    var rng = root.split("init")
    let network = DetectorNetwork(generator: RandomGenerator(seed: rng.next()), attributes: !tied)
    if tied { network.tieChannels() }
    let optimizer = AdamW(groups: network.parameterGroups(weightDecay: 1e-4), learningRate: 1e-3)
    var order = Array(examples.indices)
    var loss: Float = 0
    let batchSize = 64
    let steps = epochs * ((examples.count + batchSize - 1) / batchSize)
    var t = 0
    for epoch in 0..<epochs {
      var shuffle = root.split("epoch", epoch)
      order.shuffle(using: &shuffle)
      let shuffled = order.map { examples[$0] }
      var start = 0
      var sum: Float = 0
      var count = 0
      while start < shuffled.count {
        let end = min(start + batchSize, shuffled.count)
        let b = batch(shuffled, start..<end, grey: tied)
        optimizer.zeroGrad()
        let f = network.features(b.x)
        var l = network.classifier(f).crossEntropy(labels: b.category)
        if let heads = network.attributes {
          l =
            l + heads.colour(f).crossEntropy(labels: b.colour)
            + heads.texture(f).crossEntropy(labels: b.texture)
        }
        l.backward()
        // Cosine decay from 2e-3.
        optimizer.learningRate = 1e-3 * (1 + cosf(Float.pi * Float(t) / Float(steps)))
        optimizer.step()
        if tied { network.tieChannels() }
        sum += l.item
        count += 1
        t += 1
        start = end
      }
      loss = sum / Float(max(count, 1))
    }
    let detector = Detector(network: network)
    let report = detector.measure(
      heldOut: heldOut, seed: seed, trainingRegions: examples.count, epochs: epochs, loss: loss)
    return (detector, report)
  }

  /// Held-out accuracy, and linear probes of colour and texture on features and on pixels.
  func measure(heldOut: [Scene], seed: UInt64, trainingRegions: Int, epochs: Int, loss: Float)
    -> DetectorReport
  {
    let root = SeededRandom(seed: seed).split("detector-eval")
    var examples: [RegionExample] = []
    for (i, scene) in heldOut.enumerated() {
      var rng = root.split("crops", i)
      examples += Detector.examples(scene, rng: &rng)
    }
    let (features, scores) = run(examples.flatMap(\.patch))
    let k = Detector.classes
    var correct = 0
    var objects = 0
    var objectness = 0
    for (r, e) in examples.enumerated() {
      let row = scores[(r * k)..<((r + 1) * k)]
      let best = row.indices.max { row[$0] < row[$1] }! - r * k
      if (best == Detector.background) == (e.label == Detector.background) { objectness += 1 }
      if e.label != Detector.background {
        objects += 1
        let cat = row.indices.dropLast().max { row[$0] < row[$1] }! - r * k
        if cat == e.label { correct += 1 }
      }
    }
    // Probes on object crops only: features vs pixels, the first 70% to fit, the rest to test.
    let objectRows = examples.indices.filter { examples[$0].object != nil }
    let f = Detector.featureWidth
    let featureRows = objectRows.map { Array(features[($0 * f)..<(($0 + 1) * f)]) }
    let pixelRows = objectRows.map { examples[$0].patch.map(Patch.float) }
    let colours = objectRows.map { examples[$0].object!.colour.rawValue }
    let textures = objectRows.map { examples[$0].object!.texture.rawValue }
    func probe(_ x: [[Float]], _ y: [Int], classes: Int, _ label: String) -> Float {
      Probe.accuracy(x, y, classes: classes, seed: root.split(label))
    }
    var report = DetectorReport(
      trainingRegions: trainingRegions, epochs: epochs, finalLoss: loss,
      categoryAccuracy: Float(correct) / Float(max(objects, 1)),
      objectnessAccuracy: Float(objectness) / Float(max(examples.count, 1)),
      colourProbe: probe(featureRows, colours, classes: Colour.allCases.count, "colour-features"),
      colourProbePixels: probe(pixelRows, colours, classes: Colour.allCases.count, "colour-pixels"),
      textureProbe: probe(featureRows, textures, classes: Texture.allCases.count, "texture-features"),
      textureProbePixels: probe(pixelRows, textures, classes: Texture.allCases.count, "texture-pixels"))
    guard network.attributes != nil else { return report }
    (report.colourAccuracy, report.textureAccuracy) = attributeAccuracy(examples, features: features)
    // The held-out scenes again, photographed as the task images are.
    var shifted: [RegionExample] = []
    for (i, scene) in heldOut.enumerated() {
      var rng = root.split("photo", i)
      let photo = scene.photographed(in: .photo, rng: &rng)
      shifted += Detector.examples(photo, rng: &rng)
    }
    let (shiftedFeatures, shiftedScores) = run(shifted.flatMap(\.patch))
    let shiftedObjects = shifted.indices.filter { shifted[$0].label != Detector.background }
    let shiftedCorrect = shiftedObjects.filter { r in
      let row = shiftedScores[(r * k)..<((r + 1) * k - 1)]
      return row.indices.max { row[$0] < row[$1] }! - r * k == shifted[r].label
    }.count
    let shiftedAttributes = attributeAccuracy(shifted, features: shiftedFeatures)
    let probeRows = shifted.indices.filter { shifted[$0].object != nil }
    report.taskDomain = DomainReport(
      domain: .photo, categoryAccuracy: Float(shiftedCorrect) / Float(max(shiftedObjects.count, 1)),
      colourAccuracy: shiftedAttributes.colour, textureAccuracy: shiftedAttributes.texture,
      colourProbe: probe(
        probeRows.map { Array(shiftedFeatures[($0 * f)..<(($0 + 1) * f)]) },
        probeRows.map { shifted[$0].object!.colour.rawValue }, classes: Colour.allCases.count,
        "colour-features-photo"))
    return report
  }

  /// The attribute heads' accuracy on the object boxes of `examples`, from their features.
  func attributeAccuracy(_ examples: [RegionExample], features: [Float]) -> (colour: Float?, texture: Float?)
  {
    guard let heads = network.attributes else { return (nil, nil) }
    let rows = examples.indices.filter {
      examples[$0].label != Detector.background && examples[$0].object != nil
    }
    guard !rows.isEmpty else { return (nil, nil) }
    let f = Detector.featureWidth
    let x = Tensor(rows.flatMap { features[($0 * f)..<(($0 + 1) * f)] }, shape: [rows.count, f])
    let (colour, texture) = Autograd.inference { (heads.colour(x).scalars, heads.texture(x).scalars) }
    func accuracy(_ logits: [Float], _ classes: Int, _ truth: (SceneObject) -> Int) -> Float {
      var correct = 0
      for (r, i) in rows.enumerated() {
        let row = logits[(r * classes)..<((r + 1) * classes)]
        if row.indices.max(by: { row[$0] < row[$1] })! - r * classes == truth(examples[i].object!) {
          correct += 1
        }
      }
      return Float(correct) / Float(rows.count)
    }
    return (
      accuracy(colour, Colour.allCases.count, { $0.colour.rawValue }),
      accuracy(texture, Texture.allCases.count, { $0.texture.rawValue })
    )
  }
}

/// A linear softmax probe: how linearly decodable a label is from a representation.
public enum Probe {
  /// Fitted on the first 70% of the rows, scored on the rest.
  static func accuracy(_ x: [[Float]], _ y: [Int], classes: Int, seed: SeededRandom) -> Float {
    guard x.count >= 10 else { return 0 }
    let cut = x.count * 7 / 10
    return accuracy(
      fit: Array(x[..<cut]), Array(y[..<cut]), test: Array(x[cut...]), Array(y[cut...]), classes: classes,
      seed: seed)
  }

  /// Accuracy (0-1) on `test` of a probe fitted on `fit` (30 epochs of AdamW on standardized inputs); 0 with
  /// fewer than 7 fitting rows or no test row.
  public static func accuracy(
    fit x: [[Float]], _ y: [Int], test: [[Float]], _ testLabels: [Int], classes: Int, seed: SeededRandom
  ) -> Float {
    let cut = x.count
    guard cut >= 7, !test.isEmpty else { return 0 }
    let width = x[0].count
    // Standardize each input dimension with the fitting rows' statistics.
    var mean = [Float](repeating: 0, count: width)
    var sd = [Float](repeating: 0, count: width)
    for row in x { for j in 0..<width { mean[j] += row[j] } }
    for j in 0..<width { mean[j] /= Float(cut) }
    for row in x { for j in 0..<width { sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) } }
    for j in 0..<width { sd[j] = (sd[j] / Float(cut)).squareRoot() + 1e-3 }
    func standardized(_ rows: [[Float]]) -> [[Float]] {
      rows.map { row in (0..<width).map { (row[$0] - mean[$0]) / sd[$0] } }
    }
    let z = standardized(x)
    var rng = seed
    let probe = Linear(width, classes, generator: RandomGenerator(seed: rng.next()))
    let optimizer = AdamW(groups: probe.parameterGroups(weightDecay: 1e-2), learningRate: 3e-3)
    var order = Array(0..<cut)
    for epoch in 0..<30 {
      var shuffle = seed.split("epoch", epoch)
      order.shuffle(using: &shuffle)
      var start = 0
      while start < cut {
        let end = min(start + 64, cut)
        let rows = order[start..<end]
        optimizer.zeroGrad()
        let loss = probe(Tensor(rows.flatMap { z[$0] }, shape: [rows.count, width])).crossEntropy(
          labels: rows.map { y[$0] })
        loss.backward()
        optimizer.step()
        start = end
      }
    }
    let zt = standardized(test)
    let logits = Autograd.inference {
      probe(Tensor(zt.flatMap { $0 }, shape: [zt.count, width])).scalars
    }
    var correct = 0
    for r in zt.indices {
      let row = logits[(r * classes)..<((r + 1) * classes)]
      if row.indices.max(by: { row[$0] < row[$1] })! - r * classes == testLabels[r] { correct += 1 }
    }
    return Float(correct) / Float(zt.count)
  }
}
