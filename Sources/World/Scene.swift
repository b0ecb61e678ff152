/// One object in a scene: what it is, how it looks, where it is, and how much of it is visible.
public struct SceneObject: Codable, Hashable, Sendable {
  public var category: Category
  public var colour: Colour
  public var texture: Texture
  public var size: SizeClass
  public var box: Box
  /// Fraction of the object's own pixels not hidden by objects drawn after it.
  public var visible: Float
}

/// Which kind of scene: `people` scenes hold several person-like objects (RefCOCO+ testA),
/// `things` scenes hold none (testB); `mixed` is everything else.
public enum SceneKind: String, Codable, Sendable, CaseIterable {
  case mixed, people, things
}

/// A generated scene: objects in drawing order (later ones on top), background and lighting, and
/// the seed of its pixel noise, so rendering is a pure function of the scene.
public struct Scene: Codable, Hashable, Sendable {
  public static let size = 48

  public var id: Int
  public var kind: SceneKind
  public var objects: [SceneObject]
  public var background: Float
  public var light: Float
  public var noiseSeed: UInt64
  public var domain: RenderDomain = .v1
}

extension Scene {
  /// Draws a scene of `kind` with `count` objects. Placement keeps every object at least 60%
  /// visible, so every label about it stays true to the pixels.
  /// Concepts are drawn uniformly without a `prior` (version 1), else from it.
  /// With `subject`, the first object is the photo's subject: large and at least 90% visible, the others
  /// small or medium (a framed photo, version 3's caption images).
  public static func generate(
    id: Int, kind: SceneKind, count: ClosedRange<Int>, rng: inout SeededRandom, prior: ConceptPrior? = nil,
    domain: RenderDomain = .v1, subject: Bool = false
  ) -> Scene {
    func category(_ among: [Category]) -> Category {
      prior.map { $0.category(among: among, rng: &rng) } ?? rng.pick(among)
    }
    let n = rng.int(count)
    var categories: [Category] = []
    switch kind {
    case .people:
      let people = rng.int(2...max(2, min(4, n)))
      for _ in 0..<people { categories.append(category(Category.people)) }
      while categories.count < n { categories.append(category(Category.things)) }
    case .things:
      for _ in 0..<n { categories.append(category(Category.things)) }
    case .mixed:
      for _ in 0..<n { categories.append(category(Category.allCases)) }
    }
    categories.shuffle(using: &rng)

    var objects: [SceneObject] = []
    var masks: [[Bool]] = []
    for category in categories {
      for _ in 0..<60 {
        let size =
          !subject ? rng.pick(SizeClass.allCases) : objects.isEmpty ? .large : rng.pick([.small, .medium])
        let extent = Float(rng.int(size.pixels))
        let w = category.aspect >= 1 ? extent : (extent * category.aspect).rounded()
        let h = category.aspect >= 1 ? (extent / category.aspect).rounded() : extent
        let x = Float(rng.int(0...(Scene.size - Int(w))))
        let y = Float(rng.int(0...(Scene.size - Int(h))))
        let colour = prior.map { $0.colour(rng: &rng) } ?? rng.pick(Colour.allCases)
        let texture = prior.map { $0.texture(rng: &rng) } ?? rng.pick(Texture.allCases)
        let object = SceneObject(
          category: category, colour: colour, texture: texture,
          size: size, box: Box(x1: x, y1: y, x2: x + w, y2: y + h), visible: 1)
        let mask = Scene.mask(of: object)
        // Visibility of the earlier objects once this one is drawn on top.
        var ok = true
        var visible: [Float] = []
        for (k, earlier) in objects.enumerated() {
          let v = Scene.visibleFraction(masks[k], under: masks + [mask], from: k + 1)
          if v < (subject && k == 0 ? 0.9 : 0.6)
            || (earlier.category == category && earlier.box.iou(object.box) > 0.3)
          {
            ok = false
            break
          }
          visible.append(v)
        }
        guard ok else { continue }
        for k in visible.indices { objects[k].visible = visible[k] }
        objects.append(object)
        masks.append(mask)
        break
      }
    }
    let p = domain.parameters
    return Scene(
      id: id, kind: kind, objects: objects, background: rng.uniform(p.background),
      light: rng.uniform(p.light), noiseSeed: rng.next(), domain: domain)
  }

  /// The canvas pixels an object covers, row-major.
  static func mask(of object: SceneObject) -> [Bool] {
    var mask = [Bool](repeating: false, count: size * size)
    let b = object.box
    for y in Int(b.y1)..<Int(b.y2) {
      for x in Int(b.x1)..<Int(b.x2) {
        let u = (Float(x) + 0.5 - b.x1) / b.width
        let v = (Float(y) + 0.5 - b.y1) / b.height
        if object.category.covers(u, v) { mask[y * size + x] = true }
      }
    }
    return mask
  }

  static func visibleFraction(_ mask: [Bool], under all: [[Bool]], from start: Int) -> Float {
    var own = 0
    var shown = 0
    for p in mask.indices where mask[p] {
      own += 1
      if !all[start...].contains(where: { $0[p] }) { shown += 1 }
    }
    return own == 0 ? 0 : Float(shown) / Float(own)
  }

  /// Objects of the scene's person-like family.
  public var people: [SceneObject] { objects.filter { $0.category.isPerson } }
}

extension Category {
  /// Whether the shape covers the point (u, v) of its box, both in [0, 1], v down.
  func covers(_ u: Float, _ v: Float) -> Bool {
    func disc(_ cx: Float, _ cy: Float, _ r: Float) -> Bool {
      (u - cx) * (u - cx) + (v - cy) * (v - cy) <= r * r
    }
    let du = abs(u - 0.5)
    let dv = abs(v - 0.5)
    switch self {
    case .man: return disc(0.5, 0.17, 0.17) || (v >= 0.36 && du <= 0.22)
    case .woman: return disc(0.5, 0.17, 0.17) || (v >= 0.36 && du <= 0.08 + (v - 0.36) * 0.65)
    case .boy: return disc(0.5, 0.27, 0.26) || (v >= 0.55 && du <= 0.2)
    case .girl: return disc(0.5, 0.27, 0.26) || (v >= 0.55 && du <= 0.08 + (v - 0.55) * 0.9)
    case .ball: return disc(0.5, 0.5, 0.5)
    case .kite: return du + dv <= 0.5
    case .box: return du <= 0.45 && dv <= 0.45
    case .cup: return v >= 0.12 && (u <= 0.28 || u >= 0.72 || v >= 0.72)
    case .tent: return du <= v * 0.5
    case .bench: return (v <= 0.5) || (v > 0.5 && (u <= 0.18 || u >= 0.82))
    case .ring:
      let r2 = (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5)
      return r2 <= 0.25 && r2 >= 0.09
    case .cross: return du <= 0.17 || dv <= 0.17
    }
  }
}
