import Foundation
import Orchestrator
import Primitives
import SettingsDecoding
import TrainerProtocol

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
  }

  public func train(_ s: Settings, output: URL, metrics: any MetricsSink) throws {
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

/// The data set's draws, in Double (SplitMix64 is the generator, so data sets are identical on every platform).
extension SplitMix64 {
  mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// Box-Muller; one of the pair is dropped for simplicity.
  mutating func gaussian() -> Double {
    let u = max(uniform(), .leastNormalMagnitude)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * uniform())
  }
}

extension LogisticRegression.Settings: Decodable {
  /// The knobs; an absent key keeps its default, a wrong type or out-of-range value is an error.
  public init(from decoder: any Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: SettingKey.self)
    lr = try c.decode("lr", default: lr)
    epochs = try c.decode("epochs", default: epochs, atLeast: 1)
    l2 = try c.decode("l2", default: l2)
    features = try c.decode("features", default: features, atLeast: 1)
    informative = min(try c.decode("informative", default: informative, atLeast: 1), features)
    noise = try c.decode("noise", default: noise, atLeast: 0)
    samples = try c.decode("samples", default: samples, atLeast: 4)
    seed = try c.decode("seed", default: seed)
  }
}
