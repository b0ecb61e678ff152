/// Which appearance attributes a phrase names; the category, when named, is the noun.
public struct Description: Hashable, Sendable {
  public var size: Bool = false
  public var colour: Bool = false
  public var texture: Bool = false
  public var category: Bool = false

  /// Every non-empty choice of attributes, fewest first.
  static let all: [Description] = {
    var out: [Description] = []
    for bits in 1..<16 {
      out.append(
        Description(
          size: bits & 1 != 0, colour: bits & 2 != 0, texture: bits & 4 != 0, category: bits & 8 != 0))
    }
    return out.sorted { $0.count < $1.count }
  }()

  var count: Int { [size, colour, texture, category].filter { $0 }.count }

  /// Whether `other` looks the same as `object` in the named attributes.
  func matches(_ object: SceneObject, _ other: SceneObject) -> Bool {
    (!size || object.size == other.size) && (!colour || object.colour == other.colour)
      && (!texture || object.texture == other.texture) && (!category || object.category == other.category)
  }

  /// The adjectives and noun for `object`, e.g. "small red striped ball" or "blue one".
  func words(for object: SceneObject, noun fallback: String = "one") -> String {
    var w: [String] = []
    if size { w.append(object.size.word) }
    if colour { w.append(object.colour.word) }
    if texture { w.append(object.texture.word) }
    w.append(category ? object.category.word : fallback)
    return w.joined(separator: " ")
  }
}

extension Scene {
  /// A description naming `index` and no other object, drawn among the shortest such descriptions
  /// (sometimes one attribute longer, as people do); nil when the object cannot be singled out.
  /// `allowed` limits which descriptions may be used (for example, no category word).
  func uniqueDescription(
    of index: Int, rng: inout SeededRandom, allowed: (Description) -> Bool = { _ in true }
  ) -> Description? {
    let target = objects[index]
    let unique = Description.all.filter { d in
      allowed(d)
        && objects.indices.allSatisfy { k in k == index || !d.matches(target, objects[k]) }
    }
    guard let shortest = unique.first?.count else { return nil }
    let longer = rng.chance(0.3)
    let pool = unique.filter { $0.count == shortest + (longer ? 1 : 0) }
    return rng.pick(pool.isEmpty ? unique.filter { $0.count == shortest } : pool)
  }

  /// Indices of the objects a description with these attributes of `object` picks out.
  public func referents(of description: Description, like object: SceneObject) -> [Int] {
    objects.indices.filter { description.matches(object, objects[$0]) }
  }
}

/// Articles and agreement helpers for the world's English.
enum Grammar {
  static func count(_ n: Int) -> String {
    ["no", "one", "two", "three", "four", "five", "six", "seven"][min(n, 7)]
  }
  static func be(_ plural: Bool) -> String { plural ? "are" : "is" }
  static func was(_ plural: Bool) -> String { plural ? "were" : "was" }
  static func sentence(_ words: [String]) -> String { words.joined(separator: " ") }
}
