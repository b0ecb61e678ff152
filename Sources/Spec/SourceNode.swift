/// A YAML value that remembers where it was written, so every later check can point at the exact spot.
///
/// Specs from `extends:` chains merge at this level, so a merged value still names its own file.
struct SourceNode: Sendable {
  enum Kind: Sendable {
    /// A resolved scalar and its text as written (for argv entries, which stay strings).
    case scalar(ConfigValue, text: String)
    case list([SourceNode])
    case map([Entry])
  }

  struct Entry: Sendable {
    var key: String
    var keyLocation: SourceLocation
    var value: SourceNode
  }

  var kind: Kind
  var location: SourceLocation

  /// The plain value, locations dropped.
  var value: ConfigValue {
    switch kind {
    case .scalar(let v, _): v
    case .list(let items): .array(items.map(\.value))
    case .map(let entries):
      .object(Dictionary(entries.map { ($0.key, $0.value.value) }, uniquingKeysWith: { _, last in last }))
    }
  }

  var entries: [Entry]? {
    if case .map(let e) = kind { return e }
    return nil
  }

  var items: [SourceNode]? {
    if case .list(let i) = kind { return i }
    return nil
  }

  var scalar: ConfigValue? {
    if case .scalar(let v, _) = kind { return v }
    return nil
  }

  subscript(key: String) -> Entry? { entries?.first { $0.key == key } }

  /// The noun for "expected X, found Y" messages.
  var kindDescription: String {
    switch kind {
    case .scalar(let v, _): v.kindDescription
    case .list: "a list"
    case .map: "a mapping"
    }
  }
}
