import Foundation
import Testing

@testable import Tensor

/// A parameter `[w0, w1]` with gradient `g` set by hand.
private func parameter(_ w: [Float], grad: [Float]) -> Tensor {
  let p = Tensor(w, shape: [w.count], requiresGrad: true)
  let gp = p.gradPointer()
  for i in grad.indices { gp[i] = grad[i] }
  return p
}

private func setGrad(_ p: Tensor, _ g: [Float]) {
  let gp = p.gradPointer()
  for i in g.indices { gp[i] = g[i] }
}

/// Reference AdamW in Double, written from the paper's equations.
private func referenceAdam(
  w: Double, grads: [Double], lr: Double, wd: Double, b1: Double, b2: Double, eps: Double, decoupled: Bool
) -> Double {
  var (w, m, v) = (w, 0.0, 0.0)
  for (t, g0) in grads.enumerated() {
    var g = g0
    if decoupled { w -= lr * wd * w } else { g += wd * w }
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    let mhat = m / (1 - pow(b1, Double(t + 1)))
    let vhat = v / (1 - pow(b2, Double(t + 1)))
    w -= lr * mhat / (vhat.squareRoot() + eps)
  }
  return w
}

@Test func adamWFirstStepMovesByLearningRate() {
  // Step 1: mhat = g, vhat = g^2, so the Adam part moves by lr * g / (|g| + eps) ~ lr * sign(g).
  let p = parameter([1, -2], grad: [0.5, -3])
  let opt = AdamW(groups: [ParameterGroup([p], weightDecay: 0.1)], learningRate: 0.01, epsilon: 1e-8)
  opt.step()
  let expected0: Float = 1 - 0.01 * 0.1 * 1 - 0.01 * 0.5 / (0.5 + 1e-8)
  let expected1: Float = -2 - 0.01 * 0.1 * -2 + 0.01 * 3 / (3 + 1e-8)
  #expect(abs(p.scalars[0] - expected0) < 1e-6)
  #expect(abs(p.scalars[1] - expected1) < 1e-6)
}

@Test(arguments: [true, false])
func adamMatchesReferenceOverSteps(decoupled: Bool) {
  let grads: [[Double]] = [[0.3, -1.2], [0.1, -0.7], [-0.4, 0.2], [0.25, 0.05]]
  let p = parameter([0.8, -0.5], grad: [0, 0])
  let opt = AdamW(
    groups: [ParameterGroup([p], weightDecay: 0.05)], learningRate: 0.02, beta1: 0.9, beta2: 0.98,
    epsilon: 1e-6, decoupled: decoupled)
  for g in grads {
    setGrad(p, g.map(Float.init))
    opt.step()
  }
  for i in 0..<2 {
    let ref = referenceAdam(
      w: [0.8, -0.5][i], grads: grads.map { $0[i] }, lr: 0.02, wd: 0.05, b1: 0.9, b2: 0.98, eps: 1e-6,
      decoupled: decoupled)
    #expect(abs(Double(p.scalars[i]) - ref) < 1e-6, "element \(i): \(p.scalars[i]) vs \(ref)")
  }
  #expect(opt.stepCount == 4)
}

@Test func parameterGroupWithoutDecayIsNotDecayed() {
  let a = parameter([1], grad: [0])
  let b = parameter([1], grad: [0])
  let opt = AdamW(
    groups: [ParameterGroup([a], weightDecay: 0.5), ParameterGroup([b], weightDecay: 0)], learningRate: 0.1)
  opt.step()  // zero gradient: only decay moves a parameter
  #expect(abs(a.scalars[0] - 0.95) < 1e-6)
  #expect(b.scalars[0] == 1)
}

@Test func sgdMomentumMatchesHandComputation() {
  let p = parameter([1], grad: [0.5])
  let opt = SGD(groups: [ParameterGroup([p], weightDecay: 0.1)], learningRate: 0.1, momentum: 0.9)
  opt.step()  // b = 0.5 + 0.1 * 1 = 0.6; w = 1 - 0.06 = 0.94
  #expect(abs(p.scalars[0] - 0.94) < 1e-6)
  setGrad(p, [0.2])
  opt.step()  // b = 0.9 * 0.6 + 0.2 + 0.094 = 0.834; w = 0.94 - 0.0834 = 0.8566
  #expect(abs(p.scalars[0] - 0.8566) < 1e-6)
}

@Test func clippingScalesToTheGlobalNorm() {
  let a = parameter([0, 0], grad: [3, 0])
  let b = parameter([0], grad: [4])
  let norm = clipGradientNorm([a, b], maxNorm: 1)
  #expect(abs(norm - 5) < 1e-6)
  #expect(abs(a.grad!.scalars[0] - 0.6) < 1e-5)
  #expect(abs(b.grad!.scalars[0] - 0.8) < 1e-5)
  let untouched = clipGradientNorm([a, b], maxNorm: 10)
  #expect(abs(untouched - 1) < 1e-5)
  #expect(abs(b.grad!.scalars[0] - 0.8) < 1e-5)
}

@Test func schedulesFollowTheirFormulas() {
  let warm = Schedule.linearWarmupDecay(peak: 1e-3, warmupSteps: 10, totalSteps: 110)
  #expect(warm.learningRate(at: 0) == 0)
  #expect(abs(warm.learningRate(at: 5) - 5e-4) < 1e-9)
  #expect(abs(warm.learningRate(at: 10) - 1e-3) < 1e-9)
  #expect(abs(warm.learningRate(at: 60) - 5e-4) < 1e-9)
  #expect(warm.learningRate(at: 110) == 0)
  #expect(warm.learningRate(at: 200) == 0)
  let stepped = Schedule.stepDecay(base: 0.02, milestones: [8, 11], stepsPerEpoch: 100)
  #expect(stepped.learningRate(at: 799) == 0.02)
  #expect(abs(stepped.learningRate(at: 800) - 0.002) < 1e-9)
  #expect(abs(stepped.learningRate(at: 1100) - 0.0002) < 1e-9)
  #expect(Schedule.constant(learningRate: 0.5).learningRate(at: 12345) == 0.5)
  let vcr = Schedule.warmupStepDecay(base: 5e-3, warmupSteps: 10, milestoneSteps: [70, 90])
  #expect(vcr.learningRate(at: 0) == 0)
  #expect(abs(vcr.learningRate(at: 5) - 2.5e-3) < 1e-9)
  #expect(vcr.learningRate(at: 10) == 5e-3)
  #expect(vcr.learningRate(at: 69) == 5e-3)
  #expect(abs(vcr.learningRate(at: 70) - 5e-4) < 1e-10)
  #expect(abs(vcr.learningRate(at: 89) - 5e-4) < 1e-10)
  #expect(abs(vcr.learningRate(at: 90) - 5e-5) < 1e-11)
  #expect(try! JSONDecoder().decode(Schedule.self, from: JSONEncoder().encode(vcr)) == vcr)
  let data = try! JSONEncoder().encode(warm)
  #expect(try! JSONDecoder().decode(Schedule.self, from: data) == warm)
}
