import Foundation
import TestSupport
import Testing

@testable import World

@Test func everyGeneratedWordIsInTheVocabulary() {
  let v = Vocabulary.world
  var texts =
    smokeLayout.captions.map(\.caption) + smokeLayout.text.map(\.text) + smokeLayout.refcoco.map(\.expression)
  texts += smokeLayout.vqa.flatMap { [$0.question] + $0.answers }
  texts += smokeLayout.vcr.flatMap { [$0.question] + $0.answers + $0.rationales }
  for t in texts {
    let ids = v.encode(t)
    #expect(!ids.contains(v.unknownID), "unknown word in: \(t)")
    #expect(v.decode(ids) == Vocabulary.words(t).joined(separator: " "))
  }
}

@Test func specialTokensComeFirst() throws {
  let v = Vocabulary.world
  #expect(Array(v.tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
  #expect(v.id("zebra") == v.unknownID)
  #expect(Vocabulary.words("Is there a red ball?") == ["is", "there", "a", "red", "ball", "?"])
}

@Test func vocabularyFileRoundTripsAndBadFilesAreReported() throws {
  let dir = try TemporaryDirectory()
  let url = dir.url.appendingPathComponent("vocab.txt")
  try Vocabulary.world.fileText.write(to: url, atomically: true, encoding: .utf8)
  #expect(try Vocabulary(contentsOf: url) == Vocabulary.world)
  try "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nred\nred\n".write(to: url, atomically: true, encoding: .utf8)
  let error = #expect(throws: WorldError.self) { try Vocabulary(contentsOf: url) }
  #expect(error?.line == 7 && error?.description.contains("appears twice") == true)
}
