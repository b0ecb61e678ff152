/// One finding of an ablation table: "adding X to row P changes metric M by d".
///
/// The paper's change and ours are compared by direction only; magnitudes on a synthetic world are not
/// comparable to the paper's, but whether a factor helps or hurts is the claim worth checking.
public struct Finding: Sendable, Equatable {
  public enum Verdict: String, Sendable, Equatable {
    case agrees = "reproduced"
    case disagrees = "not reproduced"
    /// The paper shows a change but ours is within two standard errors of zero: no direction was measured,
    /// so the finding did not reproduce (counted as such, never as agreement).
    case withinNoise = "not reproduced (within noise)"
    /// The paper's change is within +-tie (e.g. 0.0 or 0.1 points): no direction to reproduce.
    case paperFlat = "paper: no change"
    case notMeasured = "not measured"
    /// Without a paper to compare with (a spec's own ablation), only our change is judged.
    /// Our change comes from one seed a row: no spread to tell it from noise, so it is not judged.
    case oneSeed = "not judged (one seed)"
    case higher = "higher (beyond 2 s.e.)"
    case lower = "lower (beyond 2 s.e.)"
    case noChange = "within noise"
  }

  public var row: String
  public var parent: String
  public var column: String
  public var ours: Double?
  /// Standard error of our change, from both rows' seeds.
  public var oursStandardError: Double?
  public var paper: Double?
  public var verdict: Verdict

  /// Compares our change (row minus parent) with the paper's; `tie` is the paper's smallest meaningful change.
  /// With `againstPaper` false (no paper table), judges only whether our change is beyond two standard errors.
  public static func compare(
    row: String, parent: String, column: String, ours: Summary, oursParent: Summary,
    paper: Double?, paperParent: Double?, tie: Double = 0.15, againstPaper: Bool = true
  ) -> Finding {
    let delta = ours.mean.flatMap { a in oursParent.mean.map { a - $0 } }
    let se: Double? = {
      guard let a = ours.standardError, let b = oursParent.standardError else { return nil }
      return (a * a + b * b).squareRoot()
    }()
    let paperDelta = paper.flatMap { a in paperParent.map { a - $0 } }
    var verdict: Verdict
    switch (delta, paperDelta) {
    case (nil, _): verdict = .notMeasured
    case (_, nil): verdict = .notMeasured
    case (_, let p?) where abs(p) < tie: verdict = .paperFlat
    case (let d?, _) where d == 0: verdict = .withinNoise
    case (_, _) where se == nil: verdict = .oneSeed
    case (let d?, _) where abs(d) < 2 * se!: verdict = .withinNoise
    case (let d?, let p?): verdict = (d > 0) == (p > 0) ? .agrees : .disagrees
    }
    if !againstPaper, let d = delta {
      if let se {
        verdict = d == 0 || abs(d) < 2 * se ? .noChange : d > 0 ? .higher : .lower
      } else {
        verdict = .oneSeed
      }
    }
    return Finding(
      row: row, parent: parent, column: column, ours: delta, oursStandardError: se, paper: paperDelta,
      verdict: verdict)
  }
}
