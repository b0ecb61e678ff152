import World

/// One version-1 smoke world shared by the tests (built once, lazily; a few seconds in release).
let smokeWorld = WorldData.build(seed: 7, scale: .smoke, version: .v1)
let smokeLayout = WorldLayout(seed: 7, scale: .smoke, version: .v1)

/// The objects of `objects` that an appearance phrase ("the small red striped one") picks out,
/// read back from its words: this is how a human would resolve it.
func resolve(_ phrase: String, in objects: [SceneObject]) -> [Int] {
  var colour: Colour?
  var texture: Texture?
  var size: SizeClass?
  var category: Category?
  var family: Bool?
  for word in phrase.split(separator: " ").map(String.init) {
    if let c = Colour.allCases.first(where: { $0.word == word }) { colour = c }
    if let t = Texture.allCases.first(where: { $0.word == word }) { texture = t }
    if let s = SizeClass.allCases.first(where: { $0.word == word }) { size = s }
    if let c = Category.allCases.first(where: { $0.word == word }) { category = c }
    if word == "person" { family = true }
    if word == "thing" { family = false }
  }
  return objects.indices.filter { i in
    let o = objects[i]
    return (colour == nil || o.colour == colour) && (texture == nil || o.texture == texture)
      && (size == nil || o.size == size) && (category == nil || o.category == category)
      && (family == nil || o.category.isPerson == family)
  }
}

/// The same seed's world at version 2.
let smokeWorldV2 = WorldData.build(seed: 7, scale: .smoke, version: .v2)
let smokeLayoutV2 = WorldLayout(seed: 7, scale: .smoke, version: .v2)

/// Whether `text` names `category` (singular or plural).
func names(_ text: String, _ category: Category) -> Bool {
  let words = Set(Vocabulary.words(text))
  return words.contains(category.word) || words.contains(category.plural)
}
