import Testing

@testable import World

/// Labels are checked against the scene by reading the text back, independently of the generators.

@Test func vqaTruthMatchesTheScene() {
  #expect(!smokeLayout.vqa.isEmpty)
  for q in smokeLayout.vqa {
    let objects = smokeLayout.scenes[q.image].objects
    let w = q.question.split(separator: " ").map(String.init)
    func subject(_ from: Int, _ to: Int) -> SceneObject? {
      let hits = resolve(w[from..<(w.count - to)].joined(separator: " "), in: objects)
      #expect(hits.count == 1, "\(q.question) picks \(hits.count) objects")
      return hits.first.map { objects[$0] }
    }
    switch q.type {
    case "colour": #expect(subject(3, 1)?.colour.word == q.truth)
    case "shape": #expect(subject(3, 1)?.category.word == q.truth)
    case "pattern": #expect(subject(3, 2)?.texture.word == q.truth)
    case "size": #expect(subject(3, 1)?.size.word == q.truth)
    case "count":
      let phrase = w[2..<(w.count - 3)].joined(separator: " ")
      let n =
        if let c = Category.allCases.first(where: { $0.plural == phrase }) {
          objects.filter { $0.category == c }.count
        } else {
          objects.filter { $0.colour.word == w[2] }.count
        }
      #expect(String(n) == q.truth, "\(q.question)")
    case "presence":
      let present = objects.contains { $0.colour.word == w[3] && $0.category.word == w[4] }
      #expect(q.truth == (present ? "yes" : "no"))
    default: Issue.record("unknown type \(q.type)")
    }
    #expect(q.answers.count == 10)
    #expect(q.answers.allSatisfy { VQA.answerSet.contains($0) })
    #expect(VQA.answerSet.contains(q.truth))
  }
}

@Test func vqaAnnotatorsDisagreeSometimes() {
  let disagreed = smokeLayout.vqa.filter { q in Set(q.answers).count > 1 }.count
  let unanimous = smokeLayout.vqa.count - disagreed
  #expect(disagreed > 0 && unanimous > 0)
  // The truth is what most annotators say, almost always.
  let truthWins = smokeLayout.vqa.filter { q in
    let c = Dictionary(grouping: q.answers, by: { $0 }).mapValues(\.count)
    return c[q.truth, default: 0] == c.values.max()
  }.count
  #expect(Double(truthWins) / Double(smokeLayout.vqa.count) > 0.9)
}

@Test func referringExpressionsPickOutExactlyTheTarget() {
  #expect(!smokeLayout.refcoco.isEmpty)
  for r in smokeLayout.refcoco {
    let objects = smokeLayout.scenes[r.image].objects
    let hits = resolve(r.expression, in: objects)
    #expect(hits == [r.target], "\(r.expression) picks \(hits)")
    for word in ["left", "right", "above", "below", "top", "bottom", "middle"] {
      #expect(!r.expression.split(separator: " ").contains(Substring(word)))
    }
    #expect(r.box == objects[r.target].box.normalized(by: Scene.size))
    switch r.split {
    case .testA: #expect(objects[r.target].category.isPerson)
    case .testB: #expect(!objects[r.target].category.isPerson)
    default: break
    }
  }
}

@Test func vcrAnswerAndRationaleAreConsistentWithTheScene() {
  #expect(!smokeLayout.vcr.isEmpty)
  for q in smokeLayout.vcr {
    let objects = smokeLayout.scenes[q.image].objects
    let o = objects[q.object]
    let purpose = o.category.purpose!
    let answer = q.answers[q.answerLabel]
    let rationale = q.rationales[q.rationaleLabel]
    // The right rationale names the object's true category and the purpose the answer gives.
    let rw = rationale.split(separator: " ").map(String.init)
    #expect(rw.contains(o.category.word) && rw.contains(purpose.word), "\(rationale)")
    // Its description ("because the <description> is a ...") picks out the object.
    let isIndex = rw.firstIndex(of: "is")!
    #expect(resolve(rw[2..<isIndex].joined(separator: " "), in: objects) == [q.object])
    if q.type == "purpose" {
      #expect(answer.hasSuffix(purpose.word))
      #expect(Set(q.answers).count == 4)
    } else {
      #expect(q.question.hasSuffix("\(purpose.word) ?"))
      let said = answer.split(separator: " ").dropFirst(4).joined(separator: " ")
      #expect(resolve(said, in: objects) == [q.object], "\(answer)")
      // The other answers name things with other purposes (or nothing in the scene).
      for (k, a) in q.answers.enumerated() where k != q.answerLabel {
        let hits = resolve(a.split(separator: " ").dropFirst(4).joined(separator: " "), in: objects)
        #expect(hits.allSatisfy { objects[$0].category.purpose != purpose })
      }
    }
    // Every wrong rationale names a category other than the object's, yet the same purpose word.
    for (k, r) in q.rationales.enumerated() where k != q.rationaleLabel {
      let words = r.split(separator: " ").map(String.init)
      #expect(!words.contains(o.category.word))
      #expect(words.contains(purpose.word))
    }
  }
}

@Test func unalignedCaptionsExistAndAlignedOnesMentionTheScene() {
  let captions = smokeLayout.captions
  let unaligned = captions.filter { !$0.aligned }.count
  #expect(unaligned > 0 && unaligned < captions.count / 3)
  for c in captions where c.aligned {
    let objects = smokeLayout.scenes[c.image].objects
    let nouns = c.caption.split(separator: " ").compactMap { w in
      Category.allCases.first { $0.word == w || $0.plural == w }
    }
    #expect(nouns.allSatisfy { n in objects.contains { $0.category == n } }, "\(c.caption)")
  }
}
