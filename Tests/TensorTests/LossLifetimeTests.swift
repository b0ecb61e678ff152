import Foundation
import Testing

@testable import Tensor

/// A loss whose targets are built inline must still read them in the backward pass, after the caller
/// has dropped them and the pool has handed their buffer to another tensor.
@Test func binaryCrossEntropyKeepsItsTargets() {
  let logits = Tensor([0.5, -1, 2, 0], shape: [2, 2], requiresGrad: true)
  let targets: [Float] = [1, 0, 0.5, 1]
  let loss = logits.binaryCrossEntropy(targets: Tensor(targets, shape: [2, 2]))
  // Take the freed buffer of the targets (same size) and fill it with something else.
  let reuse = Tensor([9, 9, 9, 9], shape: [2, 2])
  loss.backward()
  let expected: [Float] = zip(logits.scalars, targets).map { (x: Float, t: Float) -> Float in
    (1 / (1 + Foundation.exp(-x)) - t) / 4
  }
  for (g, e) in zip(logits.grad!.scalars, expected) { #expect(abs(g - e) < 1e-6) }
  _ = reuse
}
