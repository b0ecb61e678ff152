/// Version 2's text-only corpus: passages of two sentences in a language the captions never use.
/// Noun phrases nest relative clauses three deep, so a verb agrees with a subject many words back
/// ("the cups that the girl who likes the kites found are used for storing"), pronouns refer across
/// sentences, and general facts say what each kind of thing is for in several forms. These facts
/// are what VCR's answers rest on; VCR's own text never states them (`VCR.nestedItem`).
extension TextCorpus {
  /// Longest passage in tokens (the trainer reads 40 of a text); a longer draw keeps its first sentence.
  static let passageLimit = 40

  static func passage(rng: inout SeededRandom) -> String {
    let first = Grammar.sentence(passageSentence(rng: &rng))
    let both = first + " " + Grammar.sentence(passageSentence(rng: &rng))
    return Vocabulary.words(both).count <= passageLimit ? both : first
  }

  /// A general fact about one kind of thing, in one of several phrasings.
  static func fact(_ c: Category, rng: inout SeededRandom) -> [String] {
    let purpose = c.purpose!
    let sibling = purpose.things.first { $0 != c }!
    switch rng.int(0...3) {
    case 0:
      return ["every", c.word, ",", "whatever", "its", "colour", ",", "is", "used for", purpose.word, "."]
    case 1:
      return [
        "people", "keep", c.plural, ",", "which", "are", "used for", purpose.word, ",", "at", "home", ".",
      ]
    case 2:
      return ["a", c.word, "is", "a", "kind", "of", "thing", "that", "people", "use", "for", purpose.word]
        + [",", "like", "a", sibling.word, "."]
    default:
      return [
        c.plural, "and", sibling.plural, "are", "both", "used for", purpose.word, ",", "but", "a", c.word,
      ]
        + ["is", "not", "a", sibling.word, "."]
    }
  }

  static func passageSentence(rng: inout SeededRandom) -> [String] {
    let thing = nounPhrase(rng.pick(Category.things), rng: &rng, depth: 3)
    let person = nounPhrase(rng.pick(Category.people), rng: &rng, depth: 2)
    let purpose = thing.category.purpose!
    switch rng.int(0...4) {
    case 0:
      return fact(thing.category, rng: &rng)
    case 1:
      // Agreement across nested clauses.
      return thing.words + [Grammar.be(thing.plural), "used for", purpose.word, "."]
    case 2:
      // A pronoun for each of two referents, one sentence later.
      return person.words + ["found"] + thing.words + [".", "later", ",", person.pronoun, "knew that"]
        + [thing.pronoun, Grammar.be(thing.plural), "used for", purpose.word, "."]
    case 3:
      let wrong = rng.pick(Purpose.allCases.filter { $0 != purpose })
      return person.words + ["wanted", "something", "for", wrong.word, ",", "but"] + thing.words
        + [Grammar.was(thing.plural), "only", "good", "for", purpose.word, ",", "so", person.pronoun]
        + ["left", thing.plural ? "them" : "it", "."]
    default:
      return person.words + ["said", "that"] + thing.words + [
        Grammar.was(thing.plural), rng.pick(["old", "new"]),
      ]
        + [",", "and", "that", thing.pronoun, Grammar.was(thing.plural), "used for", purpose.word, "."]
    }
  }
}
