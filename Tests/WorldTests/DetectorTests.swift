import Foundation
import Testing

@testable import World

@Test func detectorSelectionKeepsConfidentRegionsWithinBounds() {
  // Three proposals: two overlapping confident ones (NMS keeps the better), one unsure.
  let boxes = [
    Box(x1: 0, y1: 0, x2: 10, y2: 10), Box(x1: 1, y1: 0, x2: 11, y2: 10), Box(x1: 30, y1: 30, x2: 40, y2: 40),
  ]
  func row(_ best: Float) -> [Float] {
    var r = [Float](repeating: (1 - best) / Float(Detector.classes - 1), count: Detector.classes)
    r[0] = best
    return r
  }
  let scores = row(0.8) + row(0.9) + row(0.2)
  #expect(Detector.select(boxes, scores: scores[...], count: 1...5) == [1])
  #expect(Detector.select(boxes, scores: scores[...], count: 2...5) == [1, 2])
  #expect(Detector.select(boxes, scores: scores[...], count: 0...0) == [])
}

@Test func detectorLearnsCategoriesAndRegionsAreWellFormed() {
  let report = smokeWorld.detectorReport!
  #expect(report.categoryAccuracy > 2.0 / 12)  // well above chance even at smoke scale
  #expect(report.colourProbePixels > 0.4)
  #expect(report.finalLoss < logf(Float(Detector.classes)))
  let d = smokeWorld.detected
  let sizes = WorldScale.smoke.sizes(for: .v1)
  #expect(d.imageCount == smokeWorld.images.count)
  for i in 0..<d.imageCount {
    let n = d.rows(of: i).count
    #expect(sizes.regions.contains(n))
  }
  #expect(d.patches.count == d.count * Patch.length)
  #expect(d.features.count == d.count * Detector.featureWidth)
  for row in 0..<d.count {
    let s = d.classScores(row)
    #expect(abs(s.reduce(0, +) - 1) < 1e-4)
    let b = d.box(row)
    #expect(b[0] >= 0 && b[1] >= 0 && b[2] <= 1 && b[3] <= 1 && b[0] < b[2] && b[1] < b[3])
  }
  #expect(smokeWorld.groundTruth.count == smokeWorld.images.map(\.objects.count).reduce(0, +))
  #expect(smokeWorld.whole.count == smokeWorld.images.count)
}

@Test func storedFeaturesAreTheDetectorsOutputOnStoredPatches() {
  let d = smokeWorld.detected
  let (features, scores) = smokeWorld.detector!.run(Array(d.patch(3)))
  // Equal up to the summation order of a batched versus a single-row matrix product.
  for (x, y) in zip(features, d.feature(3)) { #expect(abs(x - y) <= 1e-4 * max(1, abs(y))) }
  for (x, y) in zip(scores, d.classScores(3)) { #expect(abs(x - y) <= 1e-4) }
  #expect(features.count == Detector.featureWidth && scores.count == Detector.classes)
}

@Test func detectorSeesBrightnessNotHue() {
  // Trained on grey crops with channel-tied weights, the detector cannot tell a patch from the
  // same patch with its channels swapped: hue is left for a tuned extractor to learn.
  let patch = Array(smokeWorld.groundTruth.patch(0))
  let plane = Patch.side * Patch.side
  let swapped = Array(patch[plane..<(2 * plane)] + patch[0..<plane] + patch[(2 * plane)...])
  let a = smokeWorld.detector!.run(patch)
  let b = smokeWorld.detector!.run(swapped)
  for (x, y) in zip(a.features, b.features) { #expect(abs(x - y) <= 1e-4 * max(1, abs(x))) }
  let report = smokeWorld.detectorReport!
  #expect(report.colourProbe < report.colourProbePixels)
}
