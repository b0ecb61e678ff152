/// The closed set of visual attributes an object in the world can have. Each attribute's `word`
/// is its name in the world's language; nothing else in the language names it.

/// What an object is: its shape. People are the "person-like" family that splits RefCOCO+ testA
/// from testB; things have a purpose, stated only in the text-only corpus and used by VCR.
public enum Category: Int, CaseIterable, Codable, Sendable {
  case man, woman, boy, girl
  case ball, kite, box, cup, tent, bench, ring, cross

  public var word: String { String(describing: self) }
  public var plural: String {
    switch self {
    case .man: "men"
    case .woman: "women"
    case .box: "boxes"
    case .cross: "crosses"
    default: word + "s"
    }
  }
  public var isPerson: Bool { rawValue < 4 }
  public static let people: [Category] = [.man, .woman, .boy, .girl]
  public static let things: [Category] = [.ball, .kite, .box, .cup, .tent, .bench, .ring, .cross]

  /// What a thing is for; two things share each purpose, so naming the purpose never names the thing.
  public var purpose: Purpose? {
    switch self {
    case .ball, .kite: .playing
    case .box, .cup: .storing
    case .tent, .bench: .resting
    case .ring, .cross: .decorating
    default: nil
    }
  }

  /// The pronoun the language uses for one of these.
  public var pronoun: String {
    switch self {
    case .man, .boy: "he"
    case .woman, .girl: "she"
    default: "it"
    }
  }

  /// Width over height of the object's box.
  var aspect: Float {
    switch self {
    case .man, .woman, .boy, .girl: 0.65
    case .bench: 1.8
    default: 1
    }
  }
}

/// What a thing is used for.
public enum Purpose: Int, CaseIterable, Codable, Sendable {
  case playing, storing, resting, decorating
  public var word: String { String(describing: self) }
  public var things: [Category] { Category.things.filter { $0.purpose == self } }
}

/// Surface colour: decidable only from pixels.
public enum Colour: Int, CaseIterable, Codable, Sendable {
  case red, green, blue, yellow, purple, orange, white, black

  public var word: String { String(describing: self) }

  var rgb: (Float, Float, Float) {
    switch self {
    case .red: (0.85, 0.12, 0.12)
    case .green: (0.15, 0.68, 0.2)
    case .blue: (0.15, 0.25, 0.85)
    case .yellow: (0.92, 0.85, 0.15)
    case .purple: (0.55, 0.2, 0.7)
    case .orange: (0.95, 0.55, 0.1)
    case .white: (0.95, 0.95, 0.95)
    case .black: (0.08, 0.08, 0.08)
    }
  }

  /// Colours annotators confuse with this one (used to make VQA disagreement realistic).
  var confusable: [Colour] {
    switch self {
    case .red: [.orange, .purple]
    case .green: [.blue, .yellow]
    case .blue: [.purple, .green]
    case .yellow: [.orange, .white]
    case .purple: [.blue, .red]
    case .orange: [.red, .yellow]
    case .white: [.yellow]
    case .black: [.blue, .purple]
    }
  }
}

/// Surface pattern, drawn in a darker (or, on black, lighter) shade of the colour.
public enum Texture: Int, CaseIterable, Codable, Sendable {
  case plain, striped, dotted, checkered
  public var word: String { String(describing: self) }
  var confusable: [Texture] {
    switch self {
    case .plain: [.dotted]
    case .striped: [.checkered]
    case .dotted: [.plain, .checkered]
    case .checkered: [.striped, .dotted]
    }
  }
}

/// Size class of an object (its height in pixels falls in a band per class).
public enum SizeClass: Int, CaseIterable, Codable, Sendable {
  case small, medium, large
  public var word: String {
    switch self {
    case .small: "small"
    case .medium: "medium"
    case .large: "large"
    }
  }
  /// Object extent in pixels on the 48-pixel canvas.
  var pixels: ClosedRange<Int> {
    switch self {
    case .small: 8...11
    case .medium: 13...16
    case .large: 18...22
    }
  }
}
