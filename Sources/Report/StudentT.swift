import Foundation

/// Student's t distribution, enough of it for Welch's test and confidence intervals.
///
/// The CDF goes through the regularized incomplete beta function, evaluated by its continued fraction
/// (modified Lentz), which is accurate to ~1e-12 over the degrees of freedom seeds give (1 to a few hundred).
public struct StudentT: Sendable {
  public let degreesOfFreedom: Double

  public init(degreesOfFreedom: Double) {
    precondition(degreesOfFreedom > 0, "Student's t needs positive degrees of freedom")
    self.degreesOfFreedom = degreesOfFreedom
  }

  public func cdf(_ t: Double) -> Double {
    let v = degreesOfFreedom
    let tail = 0.5 * regularizedIncompleteBeta(a: v / 2, b: 0.5, x: v / (v + t * t))
    return t >= 0 ? 1 - tail : tail
  }

  /// The t with cdf(t) = p, by bisection on the monotone CDF (cheap: reports ask for a handful).
  public func quantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
    var lo = -1e3, hi = 1e3
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if cdf(mid) < p { lo = mid } else { hi = mid }
    }
    return (lo + hi) / 2
  }
}

/// I_x(a, b), the regularized incomplete beta function.
func regularizedIncompleteBeta(a: Double, b: Double, x: Double) -> Double {
  if x <= 0 { return 0 }
  if x >= 1 { return 1 }
  let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if x < (a + 1) / (a + b + 2) {
    return exp(logFront) * betaContinuedFraction(a: a, b: b, x: x) / a
  }
  return 1 - exp(logFront) * betaContinuedFraction(a: b, b: a, x: 1 - x) / b
}

private func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
  let tiny = 1e-300
  var c = 1.0
  var d = 1 - (a + b) * x / (a + 1)
  if abs(d) < tiny { d = tiny }
  d = 1 / d
  var h = d
  for m in 1...300 {
    let m = Double(m)
    let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
    d = 1 + even * d
    if abs(d) < tiny { d = tiny }
    c = 1 + even / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    h *= d * c
    let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
    d = 1 + odd * d
    if abs(d) < tiny { d = tiny }
    c = 1 + odd / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let step = d * c
    h *= step
    if abs(step - 1) < 1e-15 { break }
  }
  return h
}
