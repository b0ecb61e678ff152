/// The VCR analog. Answering needs the pixels (which object is meant, what it is) and the
/// knowledge only the text-only corpus states (what each kind of thing is for). Every wrong
/// rationale still mentions the right purpose, so the text alone never singles out the right one:
/// one distractor names the other kind of thing with that purpose (only the image rules it out),
/// the others state a false fact (only the text-only corpus rules them out).
enum VCR {
  struct Item {
    var type: String
    var question: String
    var answers: [String]
    var answerLabel: Int
    var rationales: [String]
    var rationaleLabel: Int
    var object: Int
  }

  static func rationale(_ description: String, _ category: Category, _ purpose: Purpose) -> String {
    "because the \(description) is a \(category.word) , and every \(category.word) is used for \(purpose.word) ."
  }

  /// The four rationales for `object`, whose true purpose is `purpose`, and the correct one's index;
  /// `sentence` words the rationale that names a category.
  static func rationales(
    _ object: SceneObject, _ purpose: Purpose, rng: inout SeededRandom, sentence: (Category) -> String
  ) -> ([String], Int) {
    let sibling = purpose.things.first { $0 != object.category }!
    var wrongFact = Category.things.filter { $0.purpose != purpose }
    wrongFact.shuffle(using: &rng)
    var items = [
      (sentence(object.category), true),
      (sentence(sibling), false),
      (sentence(wrongFact[0]), false),
      (sentence(wrongFact[1]), false),
    ]
    items.shuffle(using: &rng)
    return (items.map(\.0), items.firstIndex { $0.1 }!)
  }

  /// Four descriptions for a "which" question, shuffled: the object's own `description`, the same
  /// kind of description of other objects of the scene, and looks absent from it.
  static func options(_ scene: Scene, _ index: Int, _ description: String, rng: inout SeededRandom)
    -> [String]
  {
    let objects = scene.objects
    var options = [description]
    for k in objects.indices.shuffled(using: &rng) where k != index && options.count < 4 {
      if let dk = scene.uniqueDescription(of: k, rng: &rng, allowed: { !$0.category }) {
        let w = dk.words(for: objects[k])
        if !options.contains(w) { options.append(w) }
      }
    }
    while options.count < 4 {
      let fake = "\(rng.pick(Colour.allCases).word) \(rng.pick(Texture.allCases).word) one"
      if !options.contains(fake)
        && scene.objects.allSatisfy({ "\($0.colour.word) \($0.texture.word) one" != fake })
      {
        options.append(fake)
      }
    }
    options.shuffle(using: &rng)
    return options
  }

  /// A purpose exactly one of `things` serves, drawn at random, and that thing: the "which one could the man
  /// use for storing ?" question's answer.
  static func singlePurpose(of things: [Int], _ objects: [SceneObject], rng: inout SeededRandom) -> (
    Purpose, Int
  )? {
    let purposes = Purpose.allCases.filter { p in
      things.filter { objects[$0].category.purpose == p }.count == 1
    }
    guard !purposes.isEmpty else { return nil }
    let purpose = rng.pick(purposes)
    return (purpose, things.first { objects[$0].category.purpose == purpose }!)
  }

  static func item(for scene: Scene, rng: inout SeededRandom) -> Item? {
    let objects = scene.objects
    let things = objects.indices.filter { !objects[$0].category.isPerson }
    guard !things.isEmpty else { return nil }
    let person = scene.people.first?.category.word ?? "someone"
    let subject = person == "someone" ? "someone" : "the \(person)"
    if rng.chance(0.5) {
      // "what is the red striped one for ?" -- the description never names the category.
      let index = rng.pick(things)
      let o = objects[index]
      guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.category }) else {
        return nil
      }
      let desc = d.words(for: o)
      let purpose = o.category.purpose!
      var order = Purpose.allCases
      order.shuffle(using: &rng)
      let answers = order.map {
        "\(subject == "someone" ? "they" : scene.people.first!.category.pronoun) would use it for \($0.word)"
      }
      let (rs, rl) = rationales(o, purpose, rng: &rng) { rationale(desc, $0, purpose) }
      return Item(
        type: "purpose", question: "what would \(subject) use the \(desc) for ?", answers: answers,
        answerLabel: order.firstIndex(of: purpose)!, rationales: rs, rationaleLabel: rl, object: index)
    }
    // "which one could the man use for storing ?" -- exactly one thing in the scene has that purpose.
    guard case let (purpose, index)? = singlePurpose(of: things, objects, rng: &rng) else { return nil }
    let o = objects[index]
    guard let d = scene.uniqueDescription(of: index, rng: &rng, allowed: { !$0.category }) else { return nil }
    let desc = d.words(for: o)
    // Wrong answers describe other objects of the scene the same way, or looks absent from it.
    let options = options(scene, index, desc, rng: &rng)
    let answers = options.map {
      "\(subject == "someone" ? "they" : scene.people.first!.category.pronoun) could use the \($0)"
    }
    let (rs, rl) = rationales(o, purpose, rng: &rng) { rationale(desc, $0, purpose) }
    return Item(
      type: "which", question: "which thing here could \(subject) use for \(purpose.word) ?",
      answers: answers,
      answerLabel: options.firstIndex(of: desc)!, rationales: rs, rationaleLabel: rl, object: index)
  }
}
