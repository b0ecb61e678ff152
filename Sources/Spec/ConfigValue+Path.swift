/// Dotted paths ("optim.lr") address values inside nested mappings; keys therefore never contain a dot.
extension ConfigValue {
  /// The value at a dotted path, or nil when some step is missing or not a mapping.
  public subscript(path path: String) -> ConfigValue? {
    var current = self
    for key in path.split(separator: ".", omittingEmptySubsequences: false) {
      guard case .object(let o) = current, let next = o[String(key)] else { return nil }
      current = next
    }
    return current
  }

  /// Sets the value at a dotted path, creating missing intermediate mappings (replacing non-mappings).
  public mutating func set(path: String, to value: ConfigValue) {
    set(keys: path.split(separator: ".", omittingEmptySubsequences: false)[...], to: value)
  }

  private mutating func set(keys: ArraySlice<Substring>, to value: ConfigValue) {
    guard let first = keys.first else {
      self = value
      return
    }
    var object = objectValue ?? [:]
    self = .null  // drop our reference so `object` is uniquely owned and mutates in place
    var child = object.removeValue(forKey: String(first)) ?? .null
    child.set(keys: keys.dropFirst(), to: value)
    object[String(first)] = child
    self = .object(object)
  }

  /// Removes the value at a dotted path; returns whether something was removed.
  @discardableResult
  public mutating func remove(path: String) -> Bool {
    remove(keys: path.split(separator: ".", omittingEmptySubsequences: false)[...])
  }

  private mutating func remove(keys: ArraySlice<Substring>) -> Bool {
    guard let first = keys.first, case .object(var object) = self else { return false }
    let key = String(first)
    if keys.count == 1 {
      guard object.removeValue(forKey: key) != nil else { return false }
      self = .object(object)
      return true
    }
    guard var child = object[key] else { return false }
    self = .null
    object[key] = nil
    let removed = child.remove(keys: keys.dropFirst())
    object[key] = child
    self = .object(object)
    return removed
  }

  /// Every dotted path in this value (interior mappings and leaves), in sorted order.
  public var allPaths: [String] {
    var paths: [String] = []
    collectPaths(prefix: nil, into: &paths)
    return paths.sorted()
  }

  private func collectPaths(prefix: String?, into paths: inout [String]) {
    guard case .object(let o) = self else { return }
    for (key, value) in o {
      let path = prefix.map { "\($0).\(key)" } ?? key
      paths.append(path)
      value.collectPaths(prefix: path, into: &paths)
    }
  }
}
