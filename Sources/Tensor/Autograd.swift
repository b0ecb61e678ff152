/// One recorded operation: its inputs, and the hand-written backward pass that reads the
/// output's gradient and accumulates into the inputs' gradients.
final class Node {
  let inputs: [Tensor]
  let backward: (Tensor) -> Void

  init(inputs: [Tensor], backward: @escaping (Tensor) -> Void) {
    self.inputs = inputs
    self.backward = backward
  }
}

/// Recording modes. Training records a tape and applies dropout; `inference` does neither.
public enum Autograd {
  @TaskLocal public static var isRecording: Bool = true
  @TaskLocal public static var isTraining: Bool = true

  /// Runs `body` without recording a tape and with dropout off (evaluation, prediction).
  public static func inference<R>(_ body: () throws -> R) rethrows -> R {
    try $isRecording.withValue(false) { try $isTraining.withValue(false) { try body() } }
  }

  /// Runs `body` without recording a tape (dropout unchanged).
  public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try $isRecording.withValue(false) { try body() }
  }
}

extension Tensor {
  /// Attaches `backward` to `self` if recording and any input needs a gradient; returns `self`.
  @inline(__always)
  func recorded(_ inputs: [Tensor], _ backward: @escaping (Tensor) -> Void) -> Tensor {
    var needs = false
    for t in inputs where t.requiresGrad { needs = true }
    if needs && Autograd.isRecording {
      requiresGrad = true
      node = Node(inputs: inputs, backward: backward)
    }
    return self
  }

  /// Back-propagates from this scalar: accumulates d(self)/d(leaf) into every leaf that
  /// requires a gradient, then frees the tape (intermediate gradients included).
  public func backward() {
    precondition(count == 1, "Tensor.backward: needs a scalar, got shape \(shape)")
    backward(seed: 1)
  }

  /// Back-propagates with the seed gradient `seed` (scales the whole pass; used for accumulation).
  public func backward(seed: Float) {
    precondition(count == 1, "Tensor.backward: needs a scalar, got shape \(shape)")
    guard requiresGrad else { return }
    let order = topologicalOrder()
    gradPointer()[0] += seed
    for t in order.reversed() {
      guard let node = t.node else { continue }
      if t.gradStorage != nil { node.backward(t) }
      t.node = nil
      t.gradStorage = nil
    }
  }

  /// Back-propagates a full output gradient `seed` (same shape as self).
  public func backward(gradient seed: Tensor) {
    precondition(seed.count == count, "Tensor.backward: gradient shape \(seed.shape) for \(shape)")
    guard requiresGrad else { return }
    let order = topologicalOrder()
    let g = gradPointer()
    for i in 0..<count { g[i] += seed.pointer[i] }
    for t in order.reversed() {
      guard let node = t.node else { continue }
      if t.gradStorage != nil { node.backward(t) }
      t.node = nil
      t.gradStorage = nil
    }
  }

  /// Tensors reachable through recorded nodes, inputs before outputs.
  private func topologicalOrder() -> [Tensor] {
    var order: [Tensor] = []
    var seen = Set<ObjectIdentifier>()
    var stack: [(Tensor, Bool)] = [(self, false)]
    while let (t, expanded) = stack.popLast() {
      if expanded {
        order.append(t)
        continue
      }
      guard seen.insert(ObjectIdentifier(t)).inserted else { continue }
      stack.append((t, true))
      if let node = t.node {
        for input in node.inputs where input.requiresGrad && !seen.contains(ObjectIdentifier(input)) {
          stack.append((input, false))
        }
      }
    }
    return order
  }
}
