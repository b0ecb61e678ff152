import Foundation

/// What a table cell shows: the measured values of one metric over seeds, summarized.
///
/// `std` is the sample standard deviation (n - 1 in the denominator), as papers report spread over seeds;
/// it is `nil` when n < 2, so a report never shows a spread it did not measure.
public struct Summary: Sendable, Equatable {
  public let values: [Double]

  public init(_ values: [Double]) { self.values = values }

  public var n: Int { values.count }

  public var mean: Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
  }

  public var variance: Double? {
    guard n >= 2, let mean else { return nil }
    return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
  }

  public var std: Double? { variance.map { $0.squareRoot() } }

  /// Standard error of the mean.
  public var standardError: Double? { std.map { $0 / Double(n).squareRoot() } }

  /// Two-sided confidence interval for the mean from Student's t with n - 1 degrees of freedom.
  public func confidenceInterval(level: Double = 0.95) -> ClosedRange<Double>? {
    guard let mean, let se = standardError else { return nil }
    let t = StudentT(degreesOfFreedom: Double(n - 1)).quantile(0.5 + level / 2)
    return (mean - t * se)...(mean + t * se)
  }
}
