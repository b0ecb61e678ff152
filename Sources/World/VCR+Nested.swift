/// Version 2's VCR: questions and rationales in the text corpus's nested language (a relative
/// clause locating the object by another one, a pronoun for the person), and rationales that name
/// what the object is without saying what it is for: linking "is a cup" to "would use it for
/// storing" takes the fact that only the text-only corpus states.
extension VCR {
  /// "next to the small ball": where the object `index` is, by another object named uniquely.
  static func landmark(_ scene: Scene, _ index: Int, rng: inout SeededRandom) -> String? {
    for k in scene.objects.indices.shuffled(using: &rng) where k != index {
      guard let d = scene.uniqueDescription(of: k, rng: &rng, allowed: { $0.category }) else { continue }
      return
        "\(Captions.relation(scene.objects[index], scene.objects[k])) the \(d.words(for: scene.objects[k]))"
    }
    return nil
  }

  static func nestedRationale(_ description: String, _ landmark: String, _ category: Category) -> String {
    "because the \(description) , which is \(landmark) , is a \(category.word) ."
  }

  static func nestedItem(for scene: Scene, rng: inout SeededRandom) -> Item? {
    let objects = scene.objects
    let things = objects.indices.filter { !objects[$0].category.isPerson }
    guard !things.isEmpty else { return nil }
    let subject = scene.people.first.map { "the \($0.category.word)" } ?? "someone"
    let pronoun = scene.people.first?.category.pronoun ?? "they"
    if rng.chance(0.5) {
      let index = rng.pick(things)
      let o = objects[index]
      guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.category }),
        let place = landmark(scene, index, rng: &rng)
      else { return nil }
      let desc = d.words(for: o)
      let purpose = o.category.purpose!
      var order = Purpose.allCases
      order.shuffle(using: &rng)
      let (rs, rl) = rationales(o, purpose, rng: &rng) { nestedRationale(desc, place, $0) }
      return Item(
        type: "purpose", question: "what would \(subject) use the \(desc) that is \(place) for ?",
        answers: order.map { "\(pronoun) would use it for \($0.word)" },
        answerLabel: order.firstIndex(of: purpose)!, rationales: rs, rationaleLabel: rl, object: index)
    }
    guard case let (purpose, index)? = singlePurpose(of: things, objects, rng: &rng) else { return nil }
    let o = objects[index]
    guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.category }),
      let place = landmark(scene, index, rng: &rng)
    else { return nil }
    let desc = d.words(for: o)
    let options = options(scene, index, desc, rng: &rng)
    let (rs, rl) = rationales(o, purpose, rng: &rng) { nestedRationale(desc, place, $0) }
    return Item(
      type: "which",
      question: "which thing here could \(subject) use for \(purpose.word) , if \(pronoun) needed one ?",
      answers: options.map { "\(pronoun) could use the \($0)" },
      answerLabel: options.firstIndex(of: desc)!, rationales: rs, rationaleLabel: rl, object: index)
  }
}
