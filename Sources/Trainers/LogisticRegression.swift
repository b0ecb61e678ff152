import Foundation
import Orchestrator
import Spec

/// Logistic regression by full-batch gradient descent on a generated two-class data set.
///
/// Small and deterministic, yet every knob moves the result: `lr`, `epochs`, `l2` (weight decay), `features`
/// (dimensions, of which only `informative` carry signal), `noise` (class overlap), `samples`. Metrics: `loss`
/// per epoch, then `train_acc` and `val_acc`.
public struct LogisticRegression: BuiltinTrainer {
  public let name = "logreg"
  public let version = "1"

  public init() {}

  public struct Settings: Sendable, Equatable {
    public var lr = 0.1
    public var epochs = 50
    public var l2 = 0.0
    public var features = 8
    public var informative = 2
    public var noise = 1.0
    public var samples = 400
    public var seed = 0

    public init() {}

    /// Reads the knobs; an unknown type or out-of-range value is an error, never a silent default.
    public init(config: ConfigValue) throws {
      func number(_ key: String) throws -> Double? {
        guard let value = config[path: key], !value.isNull else { return nil }
        guard let d = value.doubleValue, d.isFinite else {
          throw TrainerError("config key '\(key)' must be a number, got \(value.canonicalJSON)")
        }
        return d
      }
      func integer(_ key: String, minimum: Int) throws -> Int? {
        guard let d = try number(key) else { return nil }
        guard d == d.rounded(), Int(d) >= minimum else {
          throw TrainerError("config key '\(key)' must be an integer >= \(minimum), got \(d)")
        }
        return Int(d)
      }
      if let v = try number("lr") { lr = v }
      if let v = try integer("epochs", minimum: 1) { epochs = v }
      if let v = try number("l2") { l2 = v }
      if let v = try integer("features", minimum: 1) { features = v }
      if let v = try integer("informative", minimum: 1) { informative = v }
      if let v = try number("noise") { noise = v }
      if let v = try integer("samples", minimum: 4) { samples = v }
      if let v = config[path: "seed"]?.intValue { seed = v }
      informative = min(informative, features)
      guard noise >= 0 else { throw TrainerError("config key 'noise' must be >= 0, got \(noise)") }
    }
  }

  public func train(config: ConfigValue, output: URL, metrics: any MetricsSink) throws {
    let s = try Settings(config: config)
    let data = Self.dataset(s)
    let split = s.samples * 3 / 4
    var w = [Double](repeating: 0, count: s.features)
    var b = 0.0
    for epoch in 1...s.epochs {
      var gradW = [Double](repeating: 0, count: s.features)
      var gradB = 0.0
      var loss = 0.0
      for i in 0..<split {
        let (x, y) = data[i]
        let z = zip(w, x).reduce(b) { $0 + $1.0 * $1.1 }
        let p = 1 / (1 + exp(-z))
        // log(1 + e^z) - y z, written to stay finite for large |z|.
        loss += max(z, 0) + log1p(exp(-abs(z))) - y * z
        for j in 0..<s.features { gradW[j] += (p - y) * x[j] }
        gradB += p - y
      }
      let n = Double(split)
      loss = loss / n + 0.5 * s.l2 * w.reduce(0) { $0 + $1 * $1 }
      for j in 0..<s.features { w[j] -= s.lr * (gradW[j] / n + s.l2 * w[j]) }
      b -= s.lr * gradB / n
      try metrics.log(step: epoch, ["loss": loss])
    }
    func accuracy(_ range: Range<Int>) -> Double {
      let correct = range.filter { i in
        let (x, y) = data[i]
        let z = zip(w, x).reduce(b) { $0 + $1.0 * $1.1 }
        return (z > 0 ? 1.0 : 0.0) == y
      }.count
      return Double(correct) / Double(max(1, range.count))
    }
    try metrics.log(step: nil, ["train_acc": accuracy(0..<split), "val_acc": accuracy(split..<s.samples)])
    let weights = w.map { String($0) }.joined(separator: "\n") + "\n" + String(b) + "\n"
    try Data(weights.utf8).write(to: output.appendingPathComponent("weights.txt"), options: .atomic)
  }

  /// Two Gaussian classes at +-1 along the informative dimensions, `noise` their standard deviation.
  static func dataset(_ s: Settings) -> [(x: [Double], y: Double)] {
    var rng = SplitMix64(seed: UInt64(bitPattern: Int64(s.seed)) &+ 0x9E37_79B9)
    return (0..<s.samples).map { _ in
      let y: Double = rng.next() & 1 == 0 ? 0 : 1
      let x = (0..<s.features).map { j in
        (j < s.informative ? (y * 2 - 1) : 0) + s.noise * rng.gaussian()
      }
      return (x, y)
    }
  }
}

/// A trainer's complaint about its config or data; printed on stderr by `exec-builtin`.
public struct TrainerError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// SplitMix64: a tiny, fast, well-mixed generator, so data sets are identical on every platform.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// Box-Muller; one of the pair is dropped for simplicity.
  mutating func gaussian() -> Double {
    let u = max(uniform(), .leastNormalMagnitude)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * uniform())
  }
}
