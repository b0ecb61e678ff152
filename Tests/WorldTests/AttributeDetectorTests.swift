import Testing

@testable import World

@Test func versionTwoDetectorReadsColourAndTextureWithItsAttributeHeads() {
  let v2 = smokeWorldV2.detectorReport!
  let v1 = smokeWorld.detectorReport!
  // Chance: colour 1/8, texture 1/4. Version 1 has no heads at all.
  #expect(v2.colourAccuracy! > 0.6 && v2.textureAccuracy! > 0.4)
  #expect(v1.colourAccuracy == nil && v1.taskDomain == nil)
  // Trained on colour crops with colour labels, the features keep far more colour than the grey detector's.
  #expect(v2.colourProbe > v1.colourProbe + 0.2)
  #expect(v2.categoryAccuracy > 2.0 / 12)
}

@Test func versionTwoDetectorSeesHue() {
  // The opposite of version 1's channel-tied detector: swapping red and green changes the features.
  let patch = Array(smokeWorldV2.groundTruth.patch(0))
  let plane = Patch.side * Patch.side
  let swapped = Array(patch[plane..<(2 * plane)] + patch[0..<plane] + patch[(2 * plane)...])
  let a = smokeWorldV2.detector!.run(patch).features
  let b = smokeWorldV2.detector!.run(swapped).features
  let change = zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
  let scale = a.map(abs).reduce(0, +) / Float(a.count)
  #expect(change > 0.05 * scale)
}

@Test func taskImagesArePhotographedInAnotherDomainThanTheDetectionSet() {
  // Every task image is a photo, every detection-set scene a detection-domain picture.
  #expect(smokeLayoutV2.scenes.allSatisfy { $0.domain == .photo })
  #expect(smokeLayoutV2.detectorScenes().allSatisfy { $0.domain == .detection })
  #expect(smokeLayout.scenes.allSatisfy { $0.domain == .v1 })
  // The same objects in both domains: the photo has a busier background (clutter, stronger gradient
  // and noise) and a colour cast, so its background pixels spread more.
  var empty = smokeLayoutV2.scenes[0]
  empty.objects = []
  func spread(_ domain: RenderDomain) -> Float {
    var total: Float = 0
    for i in 0..<20 {
      var rng = SeededRandom(seed: UInt64(i))
      let pixels = empty.photographed(in: domain, rng: &rng).render().pixels.map { Float($0) / 255 }
      let mean = pixels.reduce(0, +) / Float(pixels.count)
      total += (pixels.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(pixels.count)).squareRoot()
    }
    return total / 20
  }
  #expect(spread(.photo) > 1.5 * spread(.detection))
  // Read on the task domain, the frozen detector's attributes are worse than on its own.
  let report = smokeWorldV2.detectorReport!
  let shifted = report.taskDomain!
  #expect(shifted.domain == .photo)
  #expect(
    shifted.colourAccuracy! < report.colourAccuracy! && shifted.textureAccuracy! < report.textureAccuracy!)
  #expect(shifted.colourAccuracy! > 1.0 / 8 && shifted.categoryAccuracy > 1.0 / 12)
}
