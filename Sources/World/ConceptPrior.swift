/// How often each concept occurs. Version 1 draws categories, colours and textures uniformly;
/// version 2 draws them from Zipf distributions over an order drawn from the world seed, so a few
/// are common and many rare, as in real photo collections: a scarce fine-tuning set then meets
/// the rare categories and colour-category pairs a few times or never, a large caption corpus often.
public struct ConceptPrior: Sendable, Equatable {
  /// Weights by `rawValue`.
  public var categories: [Float]
  public var colours: [Float]
  public var textures: [Float]

  /// Zipf exponents: 1.2 makes the rarest of 12 categories about 20 times rarer than the commonest
  /// (2% of objects), and the rarest category-colour pair 0.09% of objects.
  static let categoryExponent: Float = 1.2
  static let colourExponent: Float = 1.2
  static let textureExponent: Float = 0.8

  /// The long-tailed prior of a world: which concept is common depends on the seed, not on the
  /// concept, so averaging over world seeds averages over which categories are rare.
  public static func longTailed(_ rng: SeededRandom) -> ConceptPrior {
    var r = rng
    return ConceptPrior(
      categories: zipf(Category.allCases.count, categoryExponent, rng: &r),
      colours: zipf(Colour.allCases.count, colourExponent, rng: &r),
      textures: zipf(Texture.allCases.count, textureExponent, rng: &r))
  }

  /// Weights 1 / rank^exponent, ranks assigned in a random order.
  static func zipf(_ count: Int, _ exponent: Float, rng: inout SeededRandom) -> [Float] {
    var ranks = Array(1...count)
    ranks.shuffle(using: &rng)
    return ranks.map { 1 / powf(Float($0), exponent) }
  }

  func category(among allowed: [Category], rng: inout SeededRandom) -> Category {
    allowed[rng.weighted(allowed.map { categories[$0.rawValue] })]
  }
  func colour(rng: inout SeededRandom) -> Colour { Colour(rawValue: rng.weighted(colours))! }
  func texture(rng: inout SeededRandom) -> Texture { Texture(rawValue: rng.weighted(textures))! }

  /// The share of each category's weight, by `rawValue`.
  public var categoryShares: [Float] {
    let total = categories.reduce(0, +)
    return categories.map { $0 / total }
  }
}

extension SeededRandom {
  /// An index drawn with probability proportional to its (non-negative, not all zero) weight.
  public mutating func weighted(_ weights: [Float]) -> Int {
    let total = weights.reduce(0, +)
    var u = unit() * total
    for (i, w) in weights.enumerated() {
      if u < w { return i }
      u -= w
    }
    return weights.lastIndex { $0 > 0 }!
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
