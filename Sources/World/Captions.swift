/// The Conceptual Captions analog: short captions about one to three objects, whose colour,
/// texture, size and relation words are decidable only from the pixels.
enum Captions {
  /// Share of captions that describe some other scene, as web alt-text often does.
  static let misalignedRate: Float = 0.15

  static func relation(_ a: SceneObject, _ b: SceneObject) -> String {
    if a.box.iou(b.box) > 0.05
      || (abs(a.box.centerX - b.box.centerX) < 6 && abs(a.box.centerY - b.box.centerY) < 6)
    {
      return "next to"
    }
    let dx = b.box.centerX - a.box.centerX
    let dy = b.box.centerY - a.box.centerY
    if abs(dx) >= abs(dy) { return dx > 0 ? "left of" : "right of" }
    return dy > 0 ? "above" : "below"
  }

  static func phrase(_ o: SceneObject, rng: inout SeededRandom) -> String {
    var w: [String] = []
    if rng.chance(0.35) { w.append(o.size.word) }
    if rng.chance(0.85) { w.append(o.colour.word) }
    if rng.chance(0.5) { w.append(o.texture.word) }
    w.append(o.category.word)
    return w.joined(separator: " ")
  }

  /// One caption true to `scene`, about objects drawn uniformly (version 1).
  static func caption(for scene: Scene, rng: inout SeededRandom) -> String {
    let i = rng.int(0...(scene.objects.count - 1))
    var j = rng.int(0...(scene.objects.count - 1))
    if j == i { j = (i + 1) % scene.objects.count }
    return caption(for: scene, about: i, and: j, rng: &rng)
  }

  /// One alt-text-like caption true to `scene` (version 2): as people writing alt text do, it
  /// mentions the most salient objects (large, unoccluded) far more often than small, hidden ones.
  static func altText(for scene: Scene, rng: inout SeededRandom) -> String {
    let weights = scene.objects.map(Captions.salience)
    let i = rng.weighted(weights)
    var rest = weights
    rest[i] = 0
    let j = scene.objects.count > 1 ? rng.weighted(rest) : i
    return caption(for: scene, about: i, and: j == i ? (i + 1) % scene.objects.count : j, rng: &rng)
  }

  /// Objects in a version-3 caption photo: its subject and one to three others. Web photos are simpler than
  /// the task scenes (3-6 objects), as Conceptual Captions' are than COCO's.
  static let subjectPhotoObjects = 2...4

  /// Version 3's alt text: it always names the photo's subject (the scene's first object) and one more
  /// object drawn by salience, as a person describing a framed photo does.
  static func subjectAltText(for scene: Scene, rng: inout SeededRandom) -> String {
    guard scene.objects.count > 1 else { return caption(for: scene, about: 0, and: 0, rng: &rng) }
    var weights = scene.objects.map(Captions.salience)
    weights[0] = 0
    return caption(for: scene, about: 0, and: rng.weighted(weights), rng: &rng)
  }

  /// How likely an object is to be mentioned: its visible area, so a large object is named about
  /// five times as often as a small one.
  static func salience(_ o: SceneObject) -> Float { o.box.area * o.visible }

  static func caption(for scene: Scene, about i: Int, and j: Int, rng: inout SeededRandom) -> String {
    let objects = scene.objects
    let a = objects[i]
    let b = objects[j]
    switch rng.int(0...4) {
    case 0:
      return "a \(phrase(a, rng: &rng)) \(relation(a, b)) a \(phrase(b, rng: &rng)) ."
    case 1:
      // Counting a category or a colour present in the scene.
      if rng.chance(0.5) {
        let n = objects.filter { $0.category == a.category }.count
        let noun = n == 1 ? a.category.word : a.category.plural
        return "\(Grammar.count(n)) \(noun) and a \(b.colour.word) \(b.category.word) in the picture ."
      }
      let n = objects.filter { $0.colour == a.colour }.count
      return
        "\(Grammar.count(n)) \(a.colour.word) \(n == 1 ? "thing" : "things") \(n == 1 ? "is" : "are") in this picture ."
    case 2:
      return "there is a \(phrase(a, rng: &rng)) with a \(phrase(b, rng: &rng)) ."
    case 3:
      let k = objects.indices.filter { $0 != i && $0 != j }.first ?? j
      return "a \(phrase(a, rng: &rng)) , a \(phrase(b, rng: &rng)) and a \(phrase(objects[k], rng: &rng)) ."
    default:
      let bigger = a.size.rawValue > b.size.rawValue
      let same = a.size == b.size
      let cmp = same ? "as big as" : (bigger ? "bigger than" : "smaller than")
      return "the \(a.colour.word) \(a.category.word) is \(cmp) the \(b.colour.word) \(b.category.word) ."
    }
  }
}
