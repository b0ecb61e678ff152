import Foundation
import NN
import Testing
import World

@testable import VL

@Suite struct LayoutTests {
  let v = Vocabulary.world
  func region(_ fill: UInt8, _ box: [Float]) -> RegionInput {
    RegionInput(patch: [UInt8](repeating: fill, count: Patch.length), box: box)
  }

  @Test func vqaLayoutSegmentsAndPositions() {
    let q = v.encode("what colour is the ball ?")
    let whole = region(9, [0, 0, 1, 1])
    let rois = [region(1, [0, 0, 0.5, 0.5]), region(2, [0.5, 0.5, 1, 1])]
    let s = VLSequence(a: q, b: [v.maskID], whole: whole, regions: rois, vocabulary: v)
    let n = q.count
    // [CLS] q [SEP] [MASK] [SEP] [IMG] [IMG] [END]
    #expect(
      s.tokens == [v.clsID] + q + [
        v.sepID, v.maskID, v.sepID, VLSequence.imgID(v), VLSequence.imgID(v), VLSequence.endID(v),
      ])
    #expect(s.segments == Array(repeating: 0, count: n + 2) + [1, 1] + [2, 2, 2])
    #expect(s.positions == Array(0..<(n + 4)) + [n + 4, n + 4, n + 5])
    #expect(s.kinds.suffix(3) == [.visual, .visual, .special])
    #expect(s.kinds[n + 2] == .special)
    #expect(s.textCount == n + 4)
    #expect(s.regionElement(1) == n + 5)
  }

  @Test func textOnlyHasNoVisualPart() {
    let s = VLSequence(
      a: v.encode("the ball is red"), whole: nil, regions: [region(1, [0, 0, 1, 1])], vocabulary: v)
    #expect(s.count == s.textCount)
    #expect(s.tokens.first == v.clsID && s.tokens.last == v.sepID)
    #expect(Set(s.segments) == [0])
  }

  @Test func batchPadsEachPartAndPointsElementsAtTheirRegions() {
    let a = VLSequence(
      a: [10, 11, 12], whole: region(9, [0, 0, 1, 1]), regions: [region(1, [0, 0, 1, 1])], vocabulary: v)
    let b = VLSequence(a: [10], whole: nil, regions: [], vocabulary: v)
    let batch = VLBatch([a, b], padID: v.padID)
    #expect(batch.textLength == 5 && batch.visualLength == 2 && batch.length == 7)
    // Sequence 0: text rows see the whole image (row 0); the [IMG] sees its region (row 1); [END] the whole image.
    #expect(Array(batch.visualRows[0..<7]) == [0, 0, 0, 0, 0, 1, 0])
    // Sequence 1: words carry the learned text-only embedding; padding carries nothing.
    #expect(Array(batch.visualRows[7..<14]) == [-1, -1, -1, -2, -2, -2, -2])
    #expect(Array(batch.keyMask.scalars[7..<14]) == [0, 0, 0, -1e4, -1e4, -1e4, -1e4])
    #expect(batch.patches.count == 2 * Patch.length)
    #expect(batch.flatIndex(0, a.regionElement(0), a) == 5)
  }
}

@Suite struct MaskingTests {
  @Test func eightyTenTen() {
    let v = Vocabulary.world
    let g = RandomGenerator(seed: 7)
    let tokens = (0..<20000).map { Vocabulary.specials.count + $0 % (v.count - Vocabulary.specials.count) }
    let (out, labels) = Masking.maskWords(tokens, vocabulary: v, generator: g)
    let picked = labels.indices.filter { labels[$0] >= 0 }
    let rate = Double(picked.count) / Double(tokens.count)
    #expect(abs(rate - 0.15) < 0.01)
    #expect(picked.allSatisfy { labels[$0] == tokens[$0] })
    let masked = picked.filter { out[$0] == v.maskID }.count
    let kept = picked.filter { out[$0] == tokens[$0] }.count
    let random = picked.count - masked - kept
    let n = Double(picked.count)
    #expect(abs(Double(masked) / n - 0.8) < 0.03)
    #expect(abs(Double(kept) / n - 0.1) < 0.03)  // includes the rare random draw of the same word
    #expect(abs(Double(random) / n - 0.1) < 0.03)
    #expect(labels.indices.filter { labels[$0] < 0 }.allSatisfy { out[$0] == tokens[$0] })
  }

  @Test func visualWordsCanBeMaskedAtTheirOwnRate() {
    let v = Vocabulary.world
    let visual = Masking.visualWords(v)
    #expect(visual.contains(v.id("cup")) && visual.contains(v.id("red")) && visual.contains(v.id("striped")))
    #expect(!visual.contains(v.id("the")) && !visual.contains(v.unknownID))
    let tokens = v.encode("there is a medium yellow dotted ball with a dotted cup .")
    let (_, labels) = Masking.maskWords(
      tokens, rate: 0, vocabulary: v, generator: RandomGenerator(seed: 2), emphasis: visual, emphasisRate: 1)
    #expect(tokens.indices.allSatisfy { (labels[$0] >= 0) == visual.contains(tokens[$0]) })
    // With the emphasis rate equal to the rate, the draws are those of plain masking (cached stages stay valid).
    let plain = Masking.maskWords(tokens, vocabulary: v, generator: RandomGenerator(seed: 3))
    let same = Masking.maskWords(tokens, vocabulary: v, generator: RandomGenerator(seed: 3), emphasis: visual)
    #expect(plain.tokens == same.tokens && plain.labels == same.labels)
  }

  @Test func regionNamingAsksTheMaskForACategoryOfTheImage() {
    let view = SmokeWorld.view
    let v = view.vocabulary
    var factors = PretrainFactors()
    factors.regionNaming = true
    let task = Pretraining(factors: factors, view: view, batchSize: 6)
    let sample = task.sample(generator: RandomGenerator(seed: 5))
    let categories = Set(Category.allCases.map { v.id($0.word) })
    #expect(sample.naming.count == 6 && sample.namingWords.count == 6)
    for (s, word) in zip(sample.naming, sample.namingWords) {
      // [CLS] [MASK] [SEP] [IMG]... [END], all of one image's RoIs, the target a category word.
      #expect(Array(s.tokens.prefix(3)) == [v.clsID, v.maskID, v.sepID])
      #expect(
        s.tokens.dropFirst(3)
          == ArraySlice([Int](repeating: VLSequence.imgID(v), count: s.regions.count) + [VLSequence.endID(v)])
      )
      #expect(!s.regions.isEmpty && categories.contains(word))
    }
    // Each named region is one the detector puts in that category with probability above 0.5.
    for named in task.namedRegions {
      #expect(
        view.detectedScores(named.image).contains { s in
          let k = s.indices.max { s[$0] < s[$1] }!
          return k < Category.allCases.count && s[k] > 0.5 && v.id(Category.allCases[k].word) == named.word
        })
    }
    // The other tasks draw exactly what they draw without region naming (cached stages stay valid).
    let plain = Pretraining(factors: PretrainFactors(), view: view, batchSize: 6)
      .sample(generator: RandomGenerator(seed: 5))
    #expect(plain.naming.isEmpty && plain.sequences.map(\.tokens) == sample.sequences.map(\.tokens))
    #expect(plain.words == sample.words)
  }

  @Test func regionAttributesAlsoNameTheObjectsColoursAndTextures() throws {
    let view = SmokeWorld.view
    let v = view.vocabulary
    let captions = view.world.captions.filter { $0.split == .train }
    let categories = Pretraining.namedRegions(view, captions)
    let all = Pretraining.namedRegions(view, captions, attributes: true)
    let image = try #require(captions.first?.image)
    let objects = view.world.images[image].objects
    let words = all.filter { $0.image == image }.map(\.word)
    #expect(words.count == categories.filter { $0.image == image }.count + 2 * objects.count)
    for o in objects { #expect(words.contains(v.id(o.colour.word)) && words.contains(v.id(o.texture.word))) }
  }

  @Test func specialTokensAreNeverMasked() {
    let v = Vocabulary.world
    let tokens = [Int](repeating: v.clsID, count: 500) + [Int](repeating: v.sepID, count: 500)
    let (out, labels) = Masking.maskWords(tokens, rate: 1, vocabulary: v, generator: RandomGenerator(seed: 1))
    #expect(out == tokens && labels.allSatisfy { $0 == -1 })
  }

  @Test func maskedRegionPixelsNeverReachTheExtractor() {
    let full = [UInt8](repeating: 200, count: Patch.length)
    let whole = RegionInput(patch: full, box: [0, 0, 1, 1])
    let rois = [
      RegionInput(patch: full, box: [0, 0, 0.5, 0.5]),  // masked
      RegionInput(patch: full, box: [0.25, 0.25, 0.75, 0.75]),  // overlaps the masked one
      RegionInput(patch: full, box: [0.6, 0.6, 1, 1]),  // disjoint
    ]
    let (w, r) = Masking.apply(mask: [true, false, false], whole: whole, regions: rois)
    #expect(r[0].patch.allSatisfy { $0 == 0 })
    #expect(r[2].patch == full)
    // Every pixel of the whole image and of the overlapping RoI that lies inside the masked box is zero,
    // every pixel outside it is untouched.
    func check(_ patch: [UInt8], _ box: [Float]) {
      let side = Patch.side
      for py in 0..<side {
        for px in 0..<side {
          let x = box[0] + (Float(px) + 0.5) / Float(side) * (box[2] - box[0])
          let y = box[1] + (Float(py) + 0.5) / Float(side) * (box[3] - box[1])
          let inside = x <= 0.5 && y <= 0.5
          for c in 0..<3 { #expect(patch[c * side * side + py * side + px] == (inside ? 0 : 200)) }
        }
      }
    }
    check(w.patch, whole.box)
    check(r[1].patch, rois[1].box)
    // Features of the masked RoI equal those of an all-zero patch: nothing of its pixels got through.
    let extractor = Extractor(detector: nil, generator: RandomGenerator(seed: 3))
    let f = extractor(r[0].patch, tune: false).scalars
    let z = extractor([UInt8](repeating: 0, count: Patch.length), tune: false).scalars
    #expect(f == z)
  }

  @Test func ownCropOnlyMaskingLeavesTheOtherRegionsAndTheWholeImage() {
    let full = [UInt8](repeating: 200, count: Patch.length)
    let whole = RegionInput(patch: full, box: [0, 0, 1, 1])
    let rois = [
      RegionInput(patch: full, box: [0, 0, 0.5, 0.5]),
      RegionInput(patch: full, box: [0.25, 0.25, 0.75, 0.75]),
    ]
    let (w, r) = Masking.apply(mask: [true, false], whole: whole, regions: rois, ownCropOnly: true)
    #expect(r[0].patch.allSatisfy { $0 == 0 })
    #expect(r[1].patch == full && w.patch == full)
  }
}

@Suite struct MetricTests {
  @Test func vqaAccuracyOnHandMadeAnswers() {
    // 3 of 10 agree: leaving out one of them (3 subsets) gives 2/3, the other 7 subsets give 1.
    let three = ["red"] * 3 + ["blue"] * 7
    #expect(abs(VLMetrics.vqaAccuracy("red", annotators: three) - (3 * (2.0 / 3) + 7 * 1) / 10) < 1e-12)
    #expect(VLMetrics.vqaAccuracy("blue", annotators: three) == 1)
    #expect(VLMetrics.vqaAccuracy("green", annotators: three) == 0)
    // 1 of 10: 9 subsets with 1/3, one with 0.
    let one = ["red"] + ["blue"] * 9
    #expect(abs(VLMetrics.vqaAccuracy("red", annotators: one) - 0.3) < 1e-12)
    // 4 of 10: always at least 3 agree.
    #expect(VLMetrics.vqaAccuracy("red", annotators: ["red"] * 4 + ["x"] * 6) == 1)
  }

  @Test func vcrJointNeedsBothRightOnTheSameItem() {
    let m = VLMetrics.vcrAccuracies(qa: [true, true, false, false], qar: [true, false, true, false])
    #expect(m.qa == 50 && m.qar == 50 && m.joint == 25)
  }

  @Test func iouThreshold() {
    #expect(VLMetrics.iou([0, 0, 1, 1], [0, 0, 1, 1]) == 1)
    #expect(VLMetrics.iou([0, 0, 0.5, 0.5], [0.5, 0.5, 1, 1]) == 0)
    #expect(VLMetrics.grounded([0, 0, 1, 1], target: [0, 0, 1, 0.5]))  // IoU exactly 0.5
    #expect(!VLMetrics.grounded([0, 0, 1, 1], target: [0, 0, 1, 0.49]))
    #expect(abs(VLMetrics.iou([0, 0, 2, 1], [1, 0, 3, 1]) - 1.0 / 3) < 1e-6)
  }
}

extension Array {
  static func * (a: [Element], n: Int) -> [Element] { (0..<n).flatMap { _ in a } }
}
