import Yams

/// Converts Yams nodes to located nodes: resolves scalars, applies `<<` merge keys, checks key types.
struct Converter {
  let file: String
  var diagnostics = Diagnostics()
  var budget = YAMLReader.nodeBudget
  var exhausted = false

  init(file: String) { self.file = file }

  func location(_ mark: Mark?) -> SourceLocation {
    SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
  }

  mutating func convert(_ node: Node) -> SourceNode {
    let loc = location(node.mark)
    budget -= 1
    if budget < 0 {
      if !exhausted {
        exhausted = true
        diagnostics.error(
          loc, "document is too large (over \(YAMLReader.nodeBudget) values after expanding aliases)",
          hint: "avoid aliases that expand to themselves many times")
      }
      return SourceNode(kind: .scalar(.null, text: ""), location: loc)
    }
    switch node {
    case .scalar(let scalar):
      return SourceNode(kind: .scalar(resolve(scalar, at: loc), text: scalar.string), location: loc)
    case .sequence(let sequence):
      return SourceNode(kind: .list(sequence.map { convert($0) }), location: loc)
    case .mapping(let mapping):
      var entries: [SourceNode.Entry] = []
      var merged: [SourceNode.Entry] = []
      for (keyNode, valueNode) in mapping {
        let keyLoc = location(keyNode.mark)
        guard case .scalar(let keyScalar) = keyNode else {
          diagnostics.error(
            keyLoc,
            "mapping keys must be plain names, found \(keyNode.mapping != nil ? "a mapping" : "a list")")
          continue
        }
        let value = convert(valueNode)
        if keyScalar.string == "<<" && keyScalar.style == .plain {
          merged.append(contentsOf: mergeSources(value))
          continue
        }
        entries.append(SourceNode.Entry(key: keyScalar.string, keyLocation: keyLoc, value: value))
      }
      // Explicit keys win over merged ones; earlier merge sources win over later ones.
      var seen = Set(entries.map(\.key))
      for entry in merged where seen.insert(entry.key).inserted { entries.append(entry) }
      return SourceNode(kind: .map(entries), location: loc)
    case .alias:
      return SourceNode(kind: .scalar(.null, text: ""), location: loc)
    }
  }

  private mutating func mergeSources(_ value: SourceNode) -> [SourceNode.Entry] {
    switch value.kind {
    case .map(let entries): return entries
    case .list(let items):
      var all: [SourceNode.Entry] = []
      for item in items {
        guard let entries = item.entries else {
          diagnostics.error(
            item.location, "a '<<' merge list may only hold mappings, found \(item.kindDescription)")
          continue
        }
        all.append(contentsOf: entries)
      }
      return all
    case .scalar:
      diagnostics.error(
        value.location,
        "a '<<' merge key needs a mapping or a list of mappings, found \(value.kindDescription)")
      return []
    }
  }

  private mutating func resolve(_ scalar: Node.Scalar, at loc: SourceLocation) -> ConfigValue {
    let text = scalar.string
    switch Tag.Name(rawValue: scalar.tag.rawValue) {
    case .implicit:
      return scalar.style == .plain ? ScalarResolver.resolvePlain(text) : .string(text)
    case .str, .nonSpecific:
      return .string(text)
    case .int:
      if let i = ScalarResolver.integer(text) { return .int(i) }
      diagnostics.error(loc, "'\(text)' is not an integer", hint: "remove the !!int tag or fix the value")
    case .float:
      if let d = ScalarResolver.float(text) ?? ScalarResolver.integer(text).map(Double.init) {
        return .double(d)
      }
      diagnostics.error(loc, "'\(text)' is not a number", hint: "remove the !!float tag or fix the value")
    case .bool:
      if let b = ScalarResolver.bool(text) { return .bool(b) }
      diagnostics.error(loc, "'\(text)' is not a boolean", hint: "use true or false")
    case .null:
      if ScalarResolver.isNull(text) { return .null }
      diagnostics.error(loc, "'\(text)' is not null", hint: "use null or ~")
    default:
      diagnostics.error(
        loc, "unsupported YAML tag '\(scalar.tag.rawValue)'",
        hint: "use plain values; the tags !!str, !!int, !!float, !!bool and !!null are understood")
    }
    return .string(text)
  }
}
