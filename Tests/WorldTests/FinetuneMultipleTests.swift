import Foundation
import TestSupport
import Testing

@testable import World

/// A world with k times the fine-tuning training sets (the data-efficiency curve's 4x point) holds the 1x
/// world unchanged: the same images with the same ids, the same items, the same regions; only more
/// training items, after the 1x ones.
@Suite struct FinetuneMultipleTests {
  static let fourTimes = WorldData.build(seed: 7, scale: .smoke, version: .v2, finetuneMultiple: 4)

  @Test func theOneTimesWorldIsAPrefixOfTheLargerOne() throws {
    let one = smokeWorldV2
    let four = Self.fourTimes
    let base = one.images.count
    #expect(Array(four.images.prefix(base)) == one.images)
    #expect(four.images[base...].allSatisfy { $0.split == .train && $0.dataset != .captions })
    #expect(four.captions == one.captions && four.text == one.text)
    func check<T: Equatable>(_ a: [T], _ b: [T], split: (T) -> Split, _ name: String) {
      let (trainA, trainB) = (a.filter { split($0) == .train }, b.filter { split($0) == .train })
      #expect(Array(trainB.prefix(trainA.count)) == trainA, "\(name): 1x training items come first")
      #expect(
        Double(trainB.count) >= 3.5 * Double(trainA.count), "\(name): \(trainA.count) -> \(trainB.count)")
      #expect(
        a.filter { split($0) != .train } == b.filter { split($0) != .train }, "\(name): evaluation splits")
    }
    check(one.vqa, four.vqa, split: \.split, "vqa")
    check(one.vcr, four.vcr, split: \.split, "vcr")
    check(one.refcoco, four.refcoco, split: \.split, "refcoco")
    for (a, b) in [
      (one.detected, four.detected), (one.groundTruth, four.groundTruth), (one.whole, four.whole),
    ] {
      let rows = a.count
      #expect(Array(b.offsets.prefix(base + 1)) == a.offsets)
      #expect(Array(b.features.prefix(rows * Detector.featureWidth)) == a.features)
      #expect(Array(b.patches.prefix(a.patches.count)) == a.patches)
      #expect(Array(b.scores.prefix(a.scores.count)) == a.scores)
    }
  }

  @Test func theMultipleIsInTheManifestOnlyWhenItIsNotOne() throws {
    let dir = try TemporaryDirectory()
    try smokeWorldV2.export(to: dir.url.appendingPathComponent("one"))
    try Self.fourTimes.export(to: dir.url.appendingPathComponent("four"))
    let manifest = try String(contentsOf: dir.url.appendingPathComponent("one/world.json"), encoding: .utf8)
    #expect(!manifest.contains("finetuneMultiple"))
    let read = try WorldData(contentsOf: dir.url.appendingPathComponent("four"))
    #expect(read.finetuneMultiple == 4 && read.name == "synthetic-v2-smoke-7-finetune-x4")
    #expect(try WorldData(contentsOf: dir.url.appendingPathComponent("one")).finetuneMultiple == 1)
  }
}
