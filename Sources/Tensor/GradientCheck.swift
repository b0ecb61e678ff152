/// Finite-difference checking of hand-written backward passes, public so that new ops in other
/// modules are checked the same way.
public enum GradientCheck {
  public struct Mismatch: CustomStringConvertible, Sendable {
    public var input: Int
    public var index: Int
    public var analytic: Double
    public var numeric: Double
    public var description: String {
      "input \(input)[\(index)]: analytic \(analytic), numeric \(numeric)"
    }
  }

  /// Compares the gradient of `L = sum_i w_i f(inputs)_i` (fixed random weights `w`, so every
  /// output element matters) with central differences `(L(x+h) - L(x-h)) / 2h`, `L` summed in
  /// Double. Checks up to `samples` elements of each input that requires a gradient.
  /// Returns the mismatches beyond `atol + rtol * max(|analytic|, |numeric|)`.
  public static func check(
    _ inputs: [Tensor], step h: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 2e-2, samples: Int = 64,
    seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
  ) -> [Mismatch] {
    let rng = RandomGenerator(seed: seed)
    let probe = Autograd.inference { f(inputs) }
    let weights = rng.uniform(shape: [probe.count], low: -1, high: 1)
    func loss() -> Double {
      let y = Autograd.withoutGrad { f(inputs) }
      var s: Double = 0
      for i in 0..<y.count { s += Double(y.pointer[i]) * Double(weights.pointer[i]) }
      return s
    }
    for t in inputs { t.releaseGrad() }
    let y = f(inputs)
    y.backward(gradient: weights.reshaped(y.shape))
    var bad: [Mismatch] = []
    for (k, t) in inputs.enumerated() where t.requiresGrad {
      let analytic = t.grad?.scalars ?? [Float](repeating: 0, count: t.count)
      let picks = t.count <= samples ? Array(0..<t.count) : (0..<samples).map { _ in rng.int(below: t.count) }
      for i in picks {
        let x0 = t.pointer[i]
        t.pointer[i] = x0 + h
        let up = loss()
        t.pointer[i] = x0 - h
        let down = loss()
        t.pointer[i] = x0
        let numeric = (up - down) / (2 * Double(h))
        let a = Double(analytic[i])
        if abs(a - numeric) > atol + rtol * max(abs(a), abs(numeric)) {
          bad.append(Mismatch(input: k, index: i, analytic: a, numeric: numeric))
        }
      }
      t.releaseGrad()
    }
    return bad
  }
}
