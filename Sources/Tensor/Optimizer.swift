import CKernels

/// Parameters that share optimizer settings (e.g. no weight decay on biases and LayerNorm).
public struct ParameterGroup {
  public var parameters: [Tensor]
  public var weightDecay: Float

  public init(_ parameters: [Tensor], weightDecay: Float) {
    self.parameters = parameters
    self.weightDecay = weightDecay
  }
}

/// An optimizer updates parameters in place from their accumulated gradients.
public protocol Optimizer: AnyObject {
  /// The learning rate for the next `step()`; schedules set it before each step.
  var learningRate: Float { get set }
  /// Updates taken so far.
  var stepCount: Int { get }
  var groups: [ParameterGroup] { get }
  func step()
  /// Per-parameter state by name (for checkpoints), and its restoration.
  func stateTensors() -> [(String, Tensor)]
  func loadState(_ tensors: [String: Tensor], stepCount: Int) throws
}

extension Optimizer {
  public var parameters: [Tensor] { groups.flatMap(\.parameters) }

  /// Sets every parameter's gradient to zero (buffers are kept).
  public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// A checkpoint that does not fit the model or optimizer it is loaded into.
public struct StateMismatchError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Adam with bias correction; weight decay either decoupled (AdamW, Loshchilov & Hutter:
/// `p -= lr * wd * p` before the Adam update, as PyTorch's AdamW) or added to the gradient (Adam).
public final class AdamW: Optimizer {
  public var learningRate: Float
  public let beta1: Float
  public let beta2: Float
  public let epsilon: Float
  public let decoupled: Bool
  public private(set) var stepCount = 0
  public let groups: [ParameterGroup]
  private let m: [Tensor]
  private let v: [Tensor]

  /// `epsilon` defaults to BERT's 1e-6 (added to the square root of the corrected second moment).
  public init(
    groups: [ParameterGroup], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-6, decoupled: Bool = true
  ) {
    self.groups = groups
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.decoupled = decoupled
    let ps = groups.flatMap(\.parameters)
    m = ps.map { Tensor(zeros: $0.shape) }
    v = ps.map { Tensor(zeros: $0.shape) }
  }

  public convenience init(
    parameters: [Tensor], learningRate: Float, weightDecay: Float = 0.01, epsilon: Float = 1e-6
  ) {
    self.init(
      groups: [ParameterGroup(parameters, weightDecay: weightDecay)], learningRate: learningRate,
      epsilon: epsilon)
  }

  public func step() {
    stepCount += 1
    let (b1, b2, lr, eps) = (beta1, beta2, learningRate, epsilon)
    let c1 = 1 - Float(Double(b1).power(stepCount))
    let c2 = 1 - Float(Double(b2).power(stepCount))
    let stepSize = lr / c1
    let invSqrtC2 = 1 / c2.squareRoot()
    // One parallel pass over all parameters as if they were one flat array: most tensors are too small to
    // split on their own, and the update is element-wise, so any split gives the same bits.
    var slices: [Slice] = []
    var k = 0
    for group in groups {
      let (l2, decay) = decoupled ? (Float(0), lr * group.weightDecay) : (group.weightDecay, Float(0))
      for p in group.parameters {
        defer { k += 1 }
        guard let gs = p.gradStorage else { continue }
        slices.append(
          Slice(
            w: p.pointer, g: gs.pointer, m: m[k].pointer, v: v[k].pointer, count: p.count, l2: l2,
            decay: decay))
      }
    }
    var starts = [0]
    for s in slices { starts.append(starts.last! + s.count) }
    let all = UncheckedBox((slices: slices, starts: starts))
    Parallel.forEachChunk(starts.last!, minimum: 1 << 15) { range in
      let (slices, starts) = all.value
      var j = max(0, (starts.firstIndex { $0 > range.lowerBound } ?? starts.count) - 1)
      while j < slices.count && starts[j] < range.upperBound {
        let lo = max(range.lowerBound, starts[j]) - starts[j]
        let hi = min(range.upperBound, starts[j + 1]) - starts[j]
        let s = slices[j]
        if hi > lo {
          ak_adamw(
            s.w + lo, s.g + lo, s.m + lo, s.v + lo, hi - lo, b1, b2, s.l2, s.decay, stepSize, invSqrtC2, eps)
        }
        j += 1
      }
    }
  }

  /// One parameter's buffers and its group's decay, for the flat update.
  private struct Slice {
    var w: UnsafeMutablePointer<Float>
    var g: UnsafeMutablePointer<Float>
    var m: UnsafeMutablePointer<Float>
    var v: UnsafeMutablePointer<Float>
    var count: Int
    var l2: Float
    var decay: Float
  }

  public func stateTensors() -> [(String, Tensor)] {
    m.enumerated().map { ("exp_avg.\($0.offset)", $0.element) }
      + v.enumerated().map { ("exp_avg_sq.\($0.offset)", $0.element) }
  }

  public func loadState(_ tensors: [String: Tensor], stepCount: Int) throws {
    try Self.restore(m, prefix: "exp_avg", from: tensors)
    try Self.restore(v, prefix: "exp_avg_sq", from: tensors)
    self.stepCount = stepCount
  }

  static func restore(_ slots: [Tensor], prefix: String, from tensors: [String: Tensor]) throws {
    for (i, slot) in slots.enumerated() {
      guard let t = tensors["\(prefix).\(i)"] else {
        throw StateMismatchError("optimizer state lacks \(prefix).\(i)")
      }
      guard t.shape == slot.shape else {
        throw StateMismatchError(
          "optimizer state \(prefix).\(i) has shape \(t.shape), expected \(slot.shape)")
      }
      slot.assign(t)
    }
  }
}

extension AdamW {
  /// Plain Adam: L2 weight decay added to the gradient (the original Adam; PyTorch's `Adam`).
  public static func adam(
    groups: [ParameterGroup], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-8
  ) -> AdamW {
    AdamW(
      groups: groups, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
      decoupled: false)
  }
}

/// SGD with (heavy-ball) momentum and L2 weight decay, as PyTorch's SGD:
/// `b = mu * b + (g + wd * p)` (b = g on the first step), `p -= lr * b`.
public final class SGD: Optimizer {
  public var learningRate: Float
  public let momentum: Float
  public private(set) var stepCount = 0
  public let groups: [ParameterGroup]
  private let buffers: [Tensor]

  public init(groups: [ParameterGroup], learningRate: Float, momentum: Float = 0.9) {
    self.groups = groups
    self.learningRate = learningRate
    self.momentum = momentum
    buffers = groups.flatMap(\.parameters).map { Tensor(zeros: $0.shape) }
  }

  public func step() {
    let first = stepCount == 0
    stepCount += 1
    var k = 0
    for group in groups {
      for p in group.parameters {
        defer { k += 1 }
        guard let gs = p.gradStorage else { continue }
        let (w, g, b) = (p.pointer, gs.pointer, buffers[k].pointer)
        for i in 0..<p.count {
          let d = g[i] + group.weightDecay * w[i]
          b[i] = first ? d : momentum * b[i] + d
          w[i] -= learningRate * b[i]
        }
      }
    }
  }

  public func stateTensors() -> [(String, Tensor)] {
    buffers.enumerated().map { ("momentum.\($0.offset)", $0.element) }
  }

  public func loadState(_ tensors: [String: Tensor], stepCount: Int) throws {
    try AdamW.restore(buffers, prefix: "momentum", from: tensors)
    self.stepCount = stepCount
  }
}

extension Double {
  fileprivate func power(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<n { r *= self }
    return r
  }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm`; returns the norm
/// before clipping (summed in Double, in parameter order, so it is deterministic).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  var total: Double = 0
  for p in parameters {
    guard let g = p.gradStorage else { continue }
    var s: Float = 0
    for i in 0..<p.count { s += g.pointer[i] * g.pointer[i] }
    total += Double(s)
  }
  let norm = Float(total.squareRoot())
  if norm > maxNorm {
    let scale = maxNorm / (norm + 1e-6)
    for p in parameters {
      guard let g = p.gradStorage else { continue }
      for i in 0..<p.count { g.pointer[i] *= scale }
    }
  }
  return norm
}
