import Testing

@testable import World

@Test func textCorpusIsLongNestedLanguageUnlikeTheCaptions() {
  let text = smokeLayoutV2.text.map(\.text)
  let captions = smokeLayoutV2.captions.map(\.caption)
  func meanWords(_ xs: [String]) -> Double {
    Double(xs.map { Vocabulary.words($0).count }.reduce(0, +)) / Double(xs.count)
  }
  #expect(meanWords(text) > 2.2 * meanWords(captions))
  func share(_ xs: [String], _ has: (Set<String>) -> Bool) -> Double {
    Double(xs.filter { has(Set(Vocabulary.words($0))) }.count) / Double(xs.count)
  }
  let clause: (Set<String>) -> Bool = { !$0.isDisjoint(with: ["who", "that", "which"]) }
  let pronoun: (Set<String>) -> Bool = { !$0.isDisjoint(with: ["he", "she", "it", "they", "them"]) }
  #expect(share(text, clause) > 0.6 && share(captions, clause) == 0)
  #expect(share(text, pronoun) > 0.3 && share(captions, pronoun) == 0)
  // Agreement over distance: a plural subject's verb comes after a nested clause.
  #expect(
    text.contains {
      $0.range(
        of: #"(boxes|cups|kites|balls|tents|benches|rings|crosses) that .+ are used for"#,
        options: .regularExpression) != nil
    })
}

@Test func purposeFactsAreStatedInTheTextCorpusAndNowhereInVCR() {
  let text = smokeLayoutV2.text.map(\.text)
  for thing in Category.things {
    let purpose = thing.purpose!.word
    #expect(text.contains { names($0, thing) && $0.contains("for \(purpose)") }, "\(thing) -> \(purpose)")
  }
  // VCR (every split) never says what a kind of thing is for; version 1's rationales did, every time.
  let v2 = smokeLayoutV2.vcr.flatMap { [$0.question] + $0.answers + $0.rationales }
  #expect(!v2.contains { $0.contains("used for") || $0.contains("every ") })
  #expect(smokeLayout.vcr.allSatisfy { $0.rationales.allSatisfy { $0.contains("is used for") } })
}

@Test func vcrSpeaksTheNestedLanguageAndStillNeedsTheImageAndTheFacts() {
  let vcr = smokeLayoutV2.vcr
  #expect(vcr.count > 60)
  for item in vcr {
    #expect(item.rationales.allSatisfy { $0.contains(" , which is ") }, "\(item.rationales)")
    if item.type == "purpose" { #expect(item.question.contains(" that is ")) }
    if item.type == "which" { #expect(item.question.contains(" , if ")) }
    // The right rationale names the object's category; the three others name other things.
    let objects = smokeLayoutV2.images[item.image].objects
    let named = item.rationales.map { r in
      Category.things.filter { names(r, $0) && r.hasSuffix("is a \($0.word) .") }
    }
    #expect(named[item.rationaleLabel] == [objects[item.object].category])
    #expect(Set(named.flatMap { $0 }).count == 4)
  }
  let qar = vcr.map {
    Vocabulary.words($0.question + " " + $0.answers[$0.answerLabel] + " " + $0.rationales[$0.rationaleLabel])
      .count
  }
  #expect(Double(qar.reduce(0, +)) / Double(qar.count) > 30)
}

@Test func refcocoAndVQANeedAttributes() {
  let colourOrTexture = Set(Colour.allCases.map(\.word) + Texture.allCases.map(\.word))
  let refs = smokeLayoutV2.refcoco
  let attributeRefs = refs.filter { !Set(Vocabulary.words($0.expression)).isDisjoint(with: colourOrTexture) }
  #expect(Double(attributeRefs.count) / Double(refs.count) > 0.4)
  // VQA: questions whose answer is a colour or a pattern, or that name a colour.
  let vqa = smokeLayoutV2.vqa
  let attributeQuestions = vqa.filter {
    colourOrTexture.contains($0.truth)
      || !Set(Vocabulary.words($0.question)).isDisjoint(with: colourOrTexture)
  }
  #expect(Double(attributeQuestions.count) / Double(vqa.count) > 0.4)
}
