import Foundation

/// Welch's unequal-variance t-test: is one row's mean really different from another's?
///
/// Chosen over Student's pooled test because seeds of different variants need not share a variance.
/// Bold in a report means "better than the runner-up at p < alpha" by this test, nothing weaker.
public struct WelchTest: Sendable, Equatable {
  public let t: Double
  public let degreesOfFreedom: Double
  /// Two-sided p-value.
  public let p: Double

  /// Nil when either side has fewer than two values or both have zero spread (no test is possible).
  public init?(_ a: Summary, _ b: Summary) {
    guard let ma = a.mean, let mb = b.mean, let va = a.variance, let vb = b.variance else { return nil }
    let sa = va / Double(a.n), sb = vb / Double(b.n)
    guard sa + sb > 0 else { return nil }
    t = (ma - mb) / (sa + sb).squareRoot()
    degreesOfFreedom =
      (sa + sb) * (sa + sb) / (sa * sa / Double(a.n - 1) + sb * sb / Double(b.n - 1))
    p = 2 * StudentT(degreesOfFreedom: degreesOfFreedom).cdf(-abs(t))
  }
}
