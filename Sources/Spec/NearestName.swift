/// "Did you mean ...?" hints: the closest candidate by edit distance, if it is close enough to be a typo.
/// Public so that other modules (unknown trainer names, CLI variant filters) give the same hints.
public enum NearestName {
  /// The candidate nearest to `name`, when within a third of its length (at least 2 edits).
  public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
    let limit = max(2, name.count / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != name {
      let d = distance(name, candidate)
      if d <= limit, best.map({ d < $0.distance }) ?? true { best = (candidate, d) }
    }
    return best?.name
  }

  public static func hint(for name: String, in candidates: some Sequence<String>) -> String? {
    nearest(to: name, in: candidates).map { "did you mean '\($0)'?" }
  }

  /// Levenshtein distance over Unicode scalars, with one rolling row.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
      var diagonal = row[0]
      row[0] = i
      for j in 1...b.count {
        let above = row[j]
        row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
        diagonal = above
      }
    }
    return row[b.count]
  }
}
