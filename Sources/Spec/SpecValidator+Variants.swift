/// The `variants:` section: the named rows of the ablation table.
extension SpecValidator {
  /// The rows in order, and the name of the row that leaves the baseline unchanged.
  ///
  /// A variant with no `set` and no `unset` is the baseline row; when there is none, an implicit row named
  /// "baseline" comes first.
  mutating func validateVariants(_ entry: SourceNode.Entry?) -> ([Variant], String) {
    var variants: [Variant] = []
    var firstSeen: [String: SourceLocation] = [:]
    var configs: [String: String] = [:]  // canonical config -> variant name
    let items: [SourceNode]
    if let entry {
      if case .scalar(.null, _) = entry.value.kind {
        items = []
      } else if let list = entry.value.items {
        items = list
      } else {
        typeError(
          entry.value, expected: "a list of variants", for: "variants",
          hint: "write variants: [{name: small, set: {model.layers: 2}}]")
        items = []
      }
    } else {
      items = []
    }
    var unchangedRow: String?
    var locations: [String: SourceLocation] = [:]
    for item in items {
      guard let variant = validateVariant(item) else { continue }
      let nameLocation = item["name"]!.value.location
      if let first = firstSeen[variant.name] {
        diagnostics.error(
          nameLocation, "duplicate variant name '\(variant.name)'",
          hint: "first defined at \(first)")
        continue
      }
      firstSeen[variant.name] = nameLocation
      locations[variant.name] = nameLocation
      if variant.set.isEmpty && variant.unset.isEmpty && unchangedRow == nil { unchangedRow = variant.name }
      variants.append(variant)
    }
    if unchangedRow == nil {
      if let clash = firstSeen["baseline"] {
        diagnostics.error(
          clash, "the variant named 'baseline' changes the baseline",
          hint: "rename it; 'baseline' names the implicit row that changes nothing")
      }
      variants.insert(Variant.baseline, at: 0)
      locations["baseline"] = root.location
    }
    // Two rows with the same config would be the same cells under two names.
    if baselineIsValid {
      for variant in variants {
        let key = variant.apply(to: baseline).canonicalJSON
        if let other = configs[key] {
          diagnostics.error(
            locations[variant.name]!, "variant '\(variant.name)' gives the same config as '\(other)'",
            hint: "identical rows would run the same cells; change or remove one")
        } else {
          configs[key] = variant.name
        }
      }
    }
    return (variants, unchangedRow ?? "baseline")
  }

  private mutating func validateVariant(_ item: SourceNode) -> Variant? {
    guard let entries = item.entries else {
      typeError(
        item, expected: "a mapping with 'name' and 'set'", for: "variants",
        hint: "write - {name: small, set: {model.layers: 2}}")
      return nil
    }
    checkKeys(entries, known: ["name", "description", "set", "unset"], in: "a variant")
    guard let nameEntry = item["name"] else {
      diagnostics.error(
        item.location, "variant without a 'name'", hint: "every row of the table needs a name")
      return nil
    }
    guard case .string(let name) = nameEntry.value.scalar, !name.isEmpty,
      !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else {
      typeError(nameEntry.value, expected: "a non-empty one-line name", for: "variants.name")
      return nil
    }
    let user = "variant '\(name)'"
    var ok = true
    let description = optionalString(item["description"], key: "variants.description") ?? ""

    var unset: [String] = []
    var unsetLocations: [String: SourceLocation] = [:]
    if let unsetEntry = item["unset"] {
      let paths: [SourceNode]
      if case .scalar(.string, _) = unsetEntry.value.kind {
        paths = [unsetEntry.value]  // a single path is a list of one
      } else if let list = unsetEntry.value.items {
        paths = list
      } else {
        typeError(
          unsetEntry.value, expected: "a list of paths", for: "unset", hint: "write unset: [optim.warmup]")
        paths = []
        ok = false
      }
      for pathNode in paths {
        guard case .string(let path) = pathNode.scalar else {
          typeError(pathNode, expected: "a path", for: "unset")
          ok = false
          continue
        }
        guard checkPath(path, at: pathNode.location, usedBy: user) else {
          ok = false
          continue
        }
        if let axis = conflictingAxis(path, orBelow: true) {
          diagnostics.error(
            pathNode.location, "\(user) unsets '\(path)', which the grid sweeps ('\(axis)')",
            hint: "the grid would set it again; remove it from the variant or from the grid")
          ok = false
          continue
        }
        unset.append(path)
        unsetLocations[path] = pathNode.location
      }
    }

    var set: [Assignment] = []
    if let setEntry = item["set"] {
      if case .scalar(.null, _) = setEntry.value.kind {
        // `set:` with nothing under it: no changes.
      } else if let pairs = setEntry.value.entries {
        for pair in pairs {
          guard checkPath(pair.key, at: pair.keyLocation, usedBy: user) else {
            ok = false
            continue
          }
          if let axis = conflictingAxis(pair.key, orBelow: false) {
            diagnostics.error(
              pair.keyLocation, "\(user) sets '\(pair.key)', which the grid sweeps ('\(axis)')",
              hint: "the grid value would win; remove it from the variant or from the grid")
            ok = false
            continue
          }
          if unsetLocations[pair.key] != nil {
            diagnostics.error(pair.keyLocation, "\(user) both sets and unsets '\(pair.key)'")
            ok = false
            continue
          }
          if let other = set.first(where: { Self.overlaps($0.path, pair.key) }) {
            diagnostics.error(
              pair.keyLocation,
              "\(user) sets both '\(other.path)' and '\(pair.key)'; the result would depend on their order",
              hint: "set the whole mapping once, or only paths inside it")
            ok = false
            continue
          }
          set.append(Assignment(path: pair.key, value: pair.value.value))
          variantKeyLocations[name, default: [:]][pair.key] = pair.value.location
        }
      } else {
        typeError(
          setEntry.value, expected: "a mapping of paths to values", for: "set",
          hint: "write set: {optim.lr: 3e-4}")
        ok = false
      }
    }
    return ok ? Variant(name: name, description: description, unset: unset, set: set) : nil
  }

  /// Two paths that write the same place: equal, or one inside the other (`opt` and `opt.lr`).
  static func overlaps(_ a: String, _ b: String) -> Bool {
    a == b || a.hasPrefix(b + ".") || b.hasPrefix(a + ".")
  }
}
