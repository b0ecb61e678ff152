/// The VQA v2 analog. Questions are about colour, shape, pattern, size, counts and presence;
/// answers come from one shared answer set, and ten simulated annotators answer each question,
/// each wrong now and then in the ways people are (a neighbouring colour, a count off by one),
/// more often when the object is small or partly hidden.
enum VQA {
  /// The shared answer set: every word an annotator may answer.
  static let answerSet: [String] = {
    var a = ["yes", "no"]
    a += Colour.allCases.map(\.word) + Category.allCases.map(\.word)
    a += Texture.allCases.map(\.word) + SizeClass.allCases.map(\.word)
    a += (0...7).map { String($0) }
    return a
  }()

  struct Question {
    var type: String
    var text: String
    var truth: String
    /// Plausible wrong answers, nearest first.
    var confusions: [String]
    /// How hard the evidence is to see (0 easy .. 1 hard).
    var difficulty: Float
  }

  static func difficulty(_ o: SceneObject) -> Float {
    (o.size == .small ? 0.5 : o.size == .medium ? 0.2 : 0) + (1 - o.visible)
  }

  static func question(for scene: Scene, rng: inout SeededRandom) -> Question? {
    let objects = scene.objects
    let index = rng.int(0...(objects.count - 1))
    let o = objects[index]
    switch rng.int(0...5) {
    case 0:  // colour of a uniquely described object (described without its colour)
      guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.colour && $0.category })
      else { return nil }
      return Question(
        type: "colour", text: "what colour is the \(d.words(for: o)) ?", truth: o.colour.word,
        confusions: o.colour.confusable.map(\.word), difficulty: difficulty(o))
    case 1:  // shape
      guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.category }) else {
        return nil
      }
      let similar = Category.allCases.filter { $0 != o.category && $0.isPerson == o.category.isPerson }
      return Question(
        type: "shape", text: "what shape is the \(d.words(for: o)) ?", truth: o.category.word,
        confusions: [rng.pick(similar).word], difficulty: difficulty(o))
    case 2:  // pattern
      guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.texture && $0.category })
      else { return nil }
      return Question(
        type: "pattern", text: "what pattern does the \(d.words(for: o)) have ?", truth: o.texture.word,
        confusions: o.texture.confusable.map(\.word), difficulty: difficulty(o) + 0.2)
    case 3:  // count of a colour or a category
      let byColour = rng.chance(0.5)
      let n = objects.filter { byColour ? $0.colour == o.colour : $0.category == o.category }.count
      let noun = byColour ? "\(o.colour.word) things" : o.category.plural
      return Question(
        type: "count", text: "how many \(noun) are there ?", truth: String(n),
        confusions: [String(n + 1), String(max(n - 1, 0))], difficulty: Float(n) * 0.1)
    case 4:  // presence, balanced between yes and no
      let colour = o.colour
      var category = o.category
      if rng.chance(0.5) { category = rng.pick(Category.allCases) }
      let present = objects.contains { $0.colour == colour && $0.category == category }
      return Question(
        type: "presence", text: "is there a \(colour.word) \(category.word) ?", truth: present ? "yes" : "no",
        confusions: [present ? "no" : "yes"], difficulty: 0.15)
    default:  // size of a uniquely described object
      guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.size && $0.category }) else {
        return nil
      }
      let others = SizeClass.allCases.filter { abs($0.rawValue - o.size.rawValue) == 1 }.map(\.word)
      return Question(
        type: "size", text: "how big is the \(d.words(for: o)) ?", truth: o.size.word, confusions: others,
        difficulty: 0.3 + (1 - o.visible))
    }
  }

  /// Ten annotators: each right with a probability that falls with difficulty, else confused.
  static func annotate(_ q: Question, rng: inout SeededRandom) -> [String] {
    let accuracy = max(0.45, 0.93 - 0.35 * q.difficulty)
    return (0..<10).map { _ in
      if rng.chance(accuracy) || q.confusions.isEmpty { return q.truth }
      return rng.chance(0.85) ? rng.pick(q.confusions) : rng.pick(answerSet)
    }
  }
}
