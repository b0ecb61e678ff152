import Foundation
import Hashing
import Primitives
import TestSupport
import Testing

@testable import World

/// Version 1 is frozen: its stages and reports were made from exactly these bytes. The digests are
/// those of `ablate world export --scale smoke --seed 7` before world versions existed (commit 3834206);
/// all but the patches are pure integer and string generation, and the patches pure rendering.
@Test func versionOneIsByteForByteTheWorldBeforeVersions() throws {
  func digest<T: Encodable>(_ rows: [T]) throws -> String { SHA256.hex(try WorldData.jsonLines(rows)) }
  #expect(
    try digest(smokeLayout.images) == "994b95fa782ff5e15a2c02ab546639a728d4e3b771376f5202d1ecdd9321e63c")
  #expect(
    try digest(smokeLayout.captions) == "e9bae197ed0a2d7e7ef679fd5b7ba96de06de545c880f1ed9d4eb95c5d0549a9")
  #expect(try digest(smokeLayout.text) == "8a7cdec6aebf185e469eb9b33bdd8a872d84b28102ed0d8e8b86f13cd0043c41")
  #expect(try digest(smokeLayout.vqa) == "b4a2656bed7d409fc5060ca7a12835774daa14d428eddf9056e7f4f572fe3b8c")
  #expect(try digest(smokeLayout.vcr) == "39a88be8fe8bcb098efb450c391a98360af161a3eb4214254f02d082766f82ca")
  #expect(
    try digest(smokeLayout.refcoco) == "e31af8f3df5722bda76376e279ffe7a3d3a8de5727751b08e5a2ff6b7b477012")
  #expect(
    SHA256.hex(Vocabulary.world.fileText)
      == "314804dc23ec6a4bd6a4c564dbdc9ac090b0f8f7a5cbc16263b8697a6b7a5ce7")
  let patches = NPYArray(
    shape: [smokeWorld.groundTruth.count, 3, Patch.side, Patch.side], bytes: smokeWorld.groundTruth.patches)
  #expect(SHA256.hex(patches.encoded()) == "5c78ff0d6e5bfee9c41cdd7f4af70fb505d95ebc8dfc1ea22fd4f92f3a653bb3")
  #expect(smokeWorld.version == .v1 && smokeWorld.name == "synthetic-smoke-7")
  #expect(smokeWorld.detector!.network.attributes == nil)
}

@Test func versionsAreCachedApartAndReadBackWithTheirDetector() throws {
  let dir = try TemporaryDirectory()
  #expect(
    WorldCache.directory(root: dir.url, scale: .smoke, seed: 7, version: .v1).lastPathComponent
      == "world-smoke-7-v1")
  #expect(
    WorldCache.directory(root: dir.url, scale: .smoke, seed: 7, version: .v2).lastPathComponent
      == "world-smoke-7-v2")
  try smokeWorldV2.export(to: dir.url.appendingPathComponent("v2"))
  let read = try WorldData(contentsOf: dir.url.appendingPathComponent("v2"))
  #expect(read.version == .v2 && read.name == "synthetic-v2-smoke-7")
  #expect(read.captions == smokeWorldV2.captions && read.vcr == smokeWorldV2.vcr)
  #expect(read.vocabulary == Vocabulary.world(.v2) && read.detectorReport == smokeWorldV2.detectorReport)
  let names = read.detector!.network.namedParameters().map(\.0)
  #expect(names.contains("attributes.colour.weight") && names.contains("attributes.texture.bias"))
  #expect(
    read.detector!.network.namedParameters().map { $0.1.scalars }
      == smokeWorldV2.detector!.network.namedParameters().map { $0.1.scalars })
}

@Test func anUnknownWorldVersionOnDiskIsReportedAtTheManifest() throws {
  let dir = try TemporaryDirectory()
  let world = dir.url.appendingPathComponent("w")
  try smokeWorld.export(to: world)
  let manifest = world.appendingPathComponent("world.json")
  let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(
    of: "\"worldVersion\" : 1", with: "\"worldVersion\" : 9")
  try text.write(to: manifest, atomically: true, encoding: .utf8)
  let error = #expect(throws: WorldError.self) { try WorldData(contentsOf: world) }
  #expect(error?.description.contains("world.json:1:1: world version 9 is unknown") == true)
}

@Test func everyVersionTwoWordIsInItsVocabulary() {
  let v = Vocabulary.world(.v2)
  var texts = smokeLayoutV2.captions.map(\.caption) + smokeLayoutV2.text.map(\.text)
  texts += smokeLayoutV2.refcoco.map(\.expression) + smokeLayoutV2.vqa.flatMap { [$0.question] + $0.answers }
  texts += smokeLayoutV2.vcr.flatMap { [$0.question] + $0.answers + $0.rationales }
  for t in texts { #expect(!v.encode(t).contains(v.unknownID), "unknown word in: \(t)") }
  // Version 1's vocabulary lacks the passages' words.
  #expect(
    smokeLayoutV2.text.contains { Vocabulary.world.encode($0.text).contains(Vocabulary.world.unknownID) })
}

/// Version 3 changes only the caption photos and their alt text: everything a fine-tuning task or the
/// detector sees is version 2's, byte for byte.
@Test func versionThreeKeepsVersionTwosTasksAndTextCorpus() throws {
  let v3 = WorldLayout(seed: 7, scale: .smoke, version: .v3)
  #expect(v3.vqa == smokeLayoutV2.vqa && v3.vcr == smokeLayoutV2.vcr && v3.refcoco == smokeLayoutV2.refcoco)
  #expect(v3.text == smokeLayoutV2.text && v3.detectorScenes() == smokeLayoutV2.detectorScenes())
  #expect(
    v3.images.filter { $0.dataset != .captions } == smokeLayoutV2.images.filter { $0.dataset != .captions })
  #expect(v3.captions.map(\.caption) != smokeLayoutV2.captions.map(\.caption))
}

/// Version 3's caption photos have a subject: the only large object, at least 90% visible. Alt text that belongs to its picture names the subject, or counts the things of
/// the subject's colour ("two red things are in this picture").
@Test func versionThreeCaptionPhotosHaveASubjectTheirAltTextNames() throws {
  let v3 = WorldLayout(seed: 7, scale: .smoke, version: .v3)
  let photos = v3.images.filter { $0.dataset == .captions }
  #expect(photos.count == 780)
  for image in photos {
    let subject = image.objects[0]
    #expect(subject.size == .large && subject.visible >= 0.9, "image \(image.id)")
    #expect(image.objects.dropFirst().allSatisfy { $0.size != .large })
  }
  let byID = Dictionary(uniqueKeysWithValues: photos.map { ($0.id, $0) })
  let aligned = v3.captions.filter(\.aligned)
  #expect(aligned.count > 600)
  for c in aligned {
    let subject = byID[c.image]!.objects[0]
    let countsColour = c.caption.contains(" \(subject.colour.word) thing")
    #expect(names(c.caption, subject.category) || countsColour, "\(c.caption)")
  }
  // Version 2's alt text names a salient object, not always the largest one.
  let v2ByID = Dictionary(uniqueKeysWithValues: smokeLayoutV2.images.map { ($0.id, $0) })
  let largestNamed = smokeLayoutV2.captions.filter(\.aligned).filter { c in
    let objects = v2ByID[c.image]!.objects
    return names(c.caption, objects.max { $0.box.area * $0.visible < $1.box.area * $1.visible }!.category)
  }
  #expect(largestNamed.count < aligned.count * 9 / 10)
}
