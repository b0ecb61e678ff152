/// Learning-rate schedules, `Codable` so that run configs can name them.
/// `step` counts optimizer updates already taken (0 for the first update).
public enum Schedule: Codable, Sendable, Equatable {
  case constant(learningRate: Float)
  /// Linear warm-up from 0 to `peak` over `warmupSteps`, then linear decay to 0 at `totalSteps`
  /// (BERT; Hugging Face's `get_linear_schedule_with_warmup`).
  case linearWarmupDecay(peak: Float, warmupSteps: Int, totalSteps: Int)
  /// `base * gamma^k` where k counts the `milestones` (epochs) already reached (Faster R-CNN style).
  case stepDecay(base: Float, milestones: [Int], stepsPerEpoch: Int, gamma: Float = 0.1)
  /// Linear warm-up from 0 to `base` over `warmupSteps`, then `base * gamma^k` where k counts the
  /// `milestoneSteps` already reached (VL-BERT's VCR fine-tuning: warm-up, then x0.1 twice).
  case warmupStepDecay(base: Float, warmupSteps: Int, milestoneSteps: [Int], gamma: Float = 0.1)

  public func learningRate(at step: Int) -> Float {
    switch self {
    case .constant(let lr):
      return lr
    case .linearWarmupDecay(let peak, let warmup, let total):
      if step < warmup { return peak * Float(step) / Float(max(1, warmup)) }
      return peak * max(0, Float(total - step) / Float(max(1, total - warmup)))
    case .stepDecay(let base, let milestones, let stepsPerEpoch, let gamma):
      let epoch = step / max(1, stepsPerEpoch)
      var lr = base
      for m in milestones where epoch >= m { lr *= gamma }
      return lr
    case .warmupStepDecay(let base, let warmup, let milestones, let gamma):
      if step < warmup { return base * Float(step) / Float(max(1, warmup)) }
      var lr = base
      for m in milestones where step >= m { lr *= gamma }
      return lr
    }
  }
}
