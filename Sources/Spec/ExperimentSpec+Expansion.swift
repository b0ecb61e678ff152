import Hashing

extension Grid {
  /// Every grid point in order (first factor slowest, zipped axes together), excludes dropped.
  /// A spec without a grid has exactly one, empty, point.
  public func points() -> [[Assignment]] {
    var points: [[Assignment]] = [[]]
    for factor in factors {
      var next: [[Assignment]] = []
      next.reserveCapacity(points.count * factor.count)
      for point in points {
        for i in 0..<factor.count {
          var extended = point
          for axis in factor.axes { extended.append(Assignment(path: axis.path, value: axis.values[i])) }
          next.append(extended)
        }
      }
      points = next
    }
    guard !excludes.isEmpty else { return points }
    let canonicalExcludes = excludes.map { $0.mapValues(\.canonicalJSON) }
    return points.filter { point in
      let values = Dictionary(
        point.map { ($0.path, $0.value.canonicalJSON) }, uniquingKeysWith: { a, _ in a })
      return !canonicalExcludes.contains { exclude in exclude.allSatisfy { values[$0.key] == $0.value } }
    }
  }
}

extension ExperimentSpec {
  /// Deterministic expansion: variants (in order) x grid points (in order) x seeds (in order).
  ///
  /// The seed joins the config as the top-level key "seed", so the trainer sees it and the identity covers it.
  public func cells(trainerIdentity: String) -> [Cell] {
    let points = grid.points()
    let identitySuffix = Array(("\n" + trainerIdentity).utf8)
    var cells: [Cell] = []
    cells.reserveCapacity(variants.count * points.count * seeds.count)
    for variant in variants {
      let variantConfig = variant.apply(to: baseline)
      for point in points {
        var pointConfig = variantConfig
        for assignment in point { pointConfig.set(path: assignment.path, to: assignment.value) }
        let gridPoint = Dictionary(point.map { ($0.path, $0.value) }, uniquingKeysWith: { _, last in last })
        guard case .object(var object) = pointConfig else { continue }
        let (head, tail) = ConfigValue.canonicalParts(of: object, around: "seed")
        for seed in seeds {
          object["seed"] = .int(seed)
          let config = ConfigValue.object(object)
          var json = head
          ConfigValue.writeInteger(seed, into: &json)
          json.append(contentsOf: tail)
          var identity = SHA256()
          identity.update(json)
          identity.update(identitySuffix)
          cells.append(
            Cell(
              id: identity.finalizeHex(), experiment: name, variant: variant.name,
              gridPoint: gridPoint, seed: seed, config: config, configHash: SHA256.hex(json)))
        }
      }
    }
    return cells
  }
}
