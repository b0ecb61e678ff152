/// The RefCOCO+ analog: expressions that name exactly one object by appearance alone (category,
/// colour, texture, size), never by absolute location. testA refers to people in people scenes,
/// testB to things in things scenes; train and val mix both.
enum RefCOCO {
  static func expression(for scene: Scene, split: Split, rng: inout SeededRandom) -> (String, Int)? {
    let candidates: [Int] =
      switch split {
      case .testA: scene.objects.indices.filter { scene.objects[$0].category.isPerson }
      case .testB: scene.objects.indices.filter { !scene.objects[$0].category.isPerson }
      default: Array(scene.objects.indices)
      }
    guard !candidates.isEmpty else { return nil }
    let index = rng.pick(candidates)
    let o = scene.objects[index]
    guard let d = scene.uniqueDescription(of: index, rng: &rng) else { return nil }
    let noun = o.category.isPerson ? "person" : "thing"
    let words = d.words(for: o, noun: rng.chance(0.5) ? "one" : noun)
    let text =
      switch rng.int(0...2) {
      case 0: "the \(words)"
      case 1: "\(words)"
      default: "the \(words) in the picture"
      }
    return (text, index)
  }

  /// Scene kind per split: testA from people scenes, testB from things scenes.
  static func kind(for split: Split, rng: inout SeededRandom) -> SceneKind {
    switch split {
    case .testA: .people
    case .testB: .things
    default: rng.pick([.people, .things, .mixed])
    }
  }
}
