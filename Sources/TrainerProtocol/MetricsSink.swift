/// Where a trainer reports metrics: one call per step (or one call without a step for final values).
public protocol MetricsSink: AnyObject {
  func log(step: Int?, _ values: [String: Double]) throws
}
