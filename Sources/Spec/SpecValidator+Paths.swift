/// Checks of dotted paths against the baseline, with hints that name the nearest path that does exist.
extension SpecValidator {
  /// Whether `path` is well formed and exists in the baseline; reports the problem otherwise.
  /// Paths must exist so that a typo never silently adds a key the trainer ignores.
  mutating func checkPath(_ path: String, at location: SourceLocation, usedBy user: String) -> Bool {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
    guard !path.isEmpty, !parts.contains(where: \.isEmpty) else {
      diagnostics.error(
        location, "malformed path '\(path)' in \(user)", hint: "a path is keys joined by '.', like optim.lr")
      return false
    }
    guard baselineIsValid else { return false }  // the baseline's own errors are reported already
    if baselinePaths.contains(path) { return true }
    diagnostics.error(
      location, "path '\(path)' (in \(user)) does not exist in the baseline", hint: pathHint(for: path))
    return false
  }

  func pathHint(for path: String) -> String {
    if let near = NearestName.nearest(to: path, in: baselinePaths) { return "did you mean '\(near)'?" }
    let parts = path.split(separator: ".").map(String.init)
    var prefix: [String] = []
    for part in parts.dropLast() {
      let candidate = (prefix + [part]).joined(separator: ".")
      guard baselinePaths.contains(candidate) else { break }
      prefix.append(part)
    }
    let node = prefix.isEmpty ? baseline : baseline[path: prefix.joined(separator: ".")]
    let place = prefix.isEmpty ? "the baseline" : "'\(prefix.joined(separator: "."))'"
    guard let node, case .object(let object) = node else {
      return "\(place) is \(node?.kindDescription ?? "missing"), not a mapping"
    }
    let keys = object.keys.sorted()
    let shown = keys.prefix(8).joined(separator: ", ") + (keys.count > 8 ? ", ..." : "")
    return "\(place) has keys: \(shown.isEmpty ? "none" : shown); declare new keys in the baseline first"
  }

  /// The grid axis that `path` would fight with: the same path, an axis above it, or (if `orBelow`) one inside it.
  func conflictingAxis(_ path: String, orBelow: Bool) -> String? {
    grid.axes.map(\.path).first { axis in
      axis == path || path.hasPrefix(axis + ".") || (orBelow && axis.hasPrefix(path + "."))
    }
  }
}
