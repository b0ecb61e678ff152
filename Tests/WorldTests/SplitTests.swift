import Testing

@testable import World

@Test func splitsShareNoScene() {
  var owner: [Int: String] = [:]
  func claim(_ image: Int, _ key: String) {
    if let previous = owner[image] { #expect(previous == key, "image \(image) in \(previous) and \(key)") }
    owner[image] = key
  }
  for c in smokeLayout.captions { claim(c.image, "captions/\(c.split)") }
  for q in smokeLayout.vqa { claim(q.image, "vqa/\(q.split)") }
  for q in smokeLayout.vcr { claim(q.image, "vcr/\(q.split)") }
  for r in smokeLayout.refcoco { claim(r.image, "refcoco/\(r.split)") }
  // Scenes are distinct too, not just ids.
  let distinct = Set(smokeLayout.scenes.map { $0.objects })
  #expect(distinct.count == smokeLayout.scenes.count)
  for image in smokeLayout.images {
    #expect(owner[image.id] == nil || owner[image.id] == "\(image.dataset)/\(image.split)")
  }
}

@Test func majorityBaselinesAreFarBelowPerfect() {
  let stats = smokeWorld.stats()
  #expect(stats.baselines.count >= 7)
  for b in stats.baselines {
    #expect(b.majority <= 0.5, "\(b.task) majority \(b.majority)")
    #expect(b.chance < 0.55)
    if let t = b.textOnly { #expect(t < 0.6, "\(b.task) text-only \(b.textOnly ?? 0)") }
  }
}

@Test func vcrTextIsMuchLongerThanCaptions() {
  let stats = smokeWorld.stats()
  let length = Dictionary(uniqueKeysWithValues: stats.lengths.map { ($0.what, $0.meanWords) })
  #expect(length["vcr QA->R (question + answer + rationale)"]! > 2 * length["caption"]!)
  #expect(length["text-only sentence"]! > length["caption"]!)
}

@Test func fineTuningDataIsScarceNextToPretraining() {
  for scale in WorldScale.allCases {
    let s = scale.sizes(for: .v1)
    let pretraining = s.captionImages[.train]!
    #expect(s.vqaImages[.train]! * 2 < pretraining)
    #expect(s.vcrImages[.train]! * 2 < pretraining)
    #expect(s.refImages[.train]! * 2 < pretraining)
  }
}
