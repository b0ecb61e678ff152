/// The BooksCorpus analog: long sentences over the world's vocabulary with relative clauses,
/// subject-verb agreement across them, and pronouns that refer back. It is the only place that
/// states what each thing is for, which VCR's answers and rationales depend on.
enum TextCorpus {
  struct NounPhrase {
    var words: [String]
    var plural: Bool
    var pronoun: String
    var category: Category
  }

  static func nounPhrase(_ category: Category, rng: inout SeededRandom, depth: Int) -> NounPhrase {
    let plural = !category.isPerson && rng.chance(0.35)
    var w: [String] = [
      plural ? rng.pick(["the", "two", "three", "some", "many"]) : rng.pick(["the", "a", "one"])
    ]
    if rng.chance(0.5) { w.append(rng.pick(Colour.allCases).word) }
    if rng.chance(0.3) { w.append(rng.pick(Texture.allCases).word) }
    w.append(plural ? category.plural : category.word)
    if depth > 0 && rng.chance(0.45) {
      // A relative clause whose verb agrees with this noun, not with the nouns inside the clause.
      let other = nounPhrase(rng.pick(Category.allCases), rng: &rng, depth: depth - 1)
      if category.isPerson {
        w += ["who", rng.pick(["holds", "likes", "sees", "found"])] + other.words
      } else if rng.chance(0.5) {
        let person = nounPhrase(rng.pick(Category.people), rng: &rng, depth: depth - 1)
        w += ["that"] + person.words + [rng.pick(["holds", "likes", "sees", "found"])]
      } else {
        w += ["that", Grammar.be(plural), rng.pick(["next to", "above", "below", "near"])] + other.words
      }
    }
    let pronoun = plural ? "they" : category.pronoun
    return NounPhrase(words: w, plural: plural, pronoun: pronoun, category: category)
  }

  static func purposeClause(_ np: NounPhrase, pronoun: Bool, rng: inout SeededRandom) -> [String] {
    guard let purpose = np.category.purpose else { return [] }
    let subject = pronoun ? [np.pronoun] : np.words
    return subject + [Grammar.be(np.plural), "used for", purpose.word]
  }

  /// One sample: one or two sentences.
  static func sample(rng: inout SeededRandom) -> String {
    let thing = nounPhrase(rng.pick(Category.things), rng: &rng, depth: 2)
    let person = nounPhrase(rng.pick(Category.people), rng: &rng, depth: 1)
    let purpose = thing.category.purpose!
    var w: [String]
    switch rng.int(0...5) {
    case 0:
      // Agreement across a clause: "the cups that the man holds are used for storing".
      w = purposeClause(thing, pronoun: false, rng: &rng) + ["."]
    case 1:
      w = ["when"] + person.words + ["found"] + thing.words + [",", person.pronoun, "knew that"]
      w += purposeClause(thing, pronoun: true, rng: &rng) + ["."]
    case 2:
      // A general fact, the form VCR's rationales take.
      let c = thing.category
      w =
        ["every", c.word] + (rng.chance(0.5) ? ["that people own"] : []) + [
          "is used for", purpose.word, ",", "so", "a", c.word,
        ]
      w += ["is", "what", "you", "need", "for", purpose.word, "."]
    case 3:
      let sibling = purpose.things.first { $0 != thing.category }!
      w = ["a", thing.category.word, "and a", sibling.word, "are", "both", "used for", purpose.word, ","]
      w += ["but", "a", thing.category.word, "is", "not", "a", sibling.word, "."]
    case 4:
      let wrong = rng.pick(Purpose.allCases.filter { $0 != purpose })
      w = person.words + ["wanted", "something", "for", wrong.word, ",", "but"] + thing.words
      w += [Grammar.was(thing.plural), "only", "good", "for", purpose.word, ",", "so", person.pronoun]
      w += ["left", thing.plural ? "them" : "it", "."]
    default:
      w =
        person.words + ["said", "that"] + thing.words + [
          Grammar.was(thing.plural), rng.pick(["old", "new"]), ",",
        ]
      w += ["and", "that", thing.pronoun, Grammar.was(thing.plural), "used for", purpose.word, "."]
    }
    return Grammar.sentence(w)
  }
}
