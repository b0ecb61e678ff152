import Foundation
import NN
import Testing
import World

@testable import VL

/// The visual feature embedding: words carry the whole image through a norm whose scale starts at zero, so a
/// fresh model sees the words themselves; RoIs carry their own normalised feature; padding carries nothing.
@Suite struct VisualEmbeddingTests {
  let v = Vocabulary.world

  func region(_ fill: UInt8, _ box: [Float]) -> RegionInput {
    RegionInput(patch: (0..<Patch.length).map { UInt8((Int(fill) + $0 * 7) % 256) }, box: box)
  }

  @Test func wordsStartWithoutTheWholeImageAndRegionsAreNormalised() {
    let g = RandomGenerator(seed: 3)
    let embedding = VisualFeatureEmbedding(output: 16, useGeometry: true, generator: g)
    let extractor = Extractor(detector: nil, generator: g)
    let short = VLSequence(
      a: v.encode("the red ball"), whole: region(9, [0, 0, 1, 1]),
      regions: [region(1, [0, 0, 0.5, 0.5]), region(2, [0.5, 0.5, 1, 1])], vocabulary: v)
    let long = VLSequence(
      a: v.encode("a small blue cup is left of the ball"), whole: region(5, [0, 0, 1, 1]),
      regions: [region(3, [0.1, 0.1, 0.4, 0.6])], vocabulary: v)
    let batch = VLBatch([short, long], padID: v.padID)
    #expect(batch.isWhole == [true, false, false, true, false])
    let rows = embedding(batch, extractor: extractor, tune: false).scalars
    func row(_ b: Int, _ e: Int, _ s: VLSequence) -> ArraySlice<Float> {
      let k = batch.flatIndex(b, e, s)
      return rows[(k * 16)..<((k + 1) * 16)]
    }
    // Text and special elements of an image-text pair: zero at initialisation.
    for e in 0..<short.textCount { #expect(row(0, e, short).allSatisfy { $0 == 0 }) }
    // Each RoI: zero mean, unit variance (the RoI norm's scale starts at 1), and RoIs differ.
    for r in short.regions.indices {
      let x = Array(row(0, short.regionElement(r), short))
      let mean = x.reduce(0, +) / 16
      let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
      #expect(abs(mean) < 1e-4 && abs(variance - 1) < 1e-2)
    }
    #expect(row(0, short.regionElement(0), short) != row(0, short.regionElement(1), short))
    // Padding of the shorter text part carries zero; the whole-image norm's scale is a parameter that learns.
    let padding = batch.length * 0 + short.textCount
    #expect(rows[(padding * 16)..<((padding + 1) * 16)].allSatisfy { $0 == 0 })
    #expect(embedding.namedParameters().map(\.0).contains("textNorm.weight"))
  }
}
