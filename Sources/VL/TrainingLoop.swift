import NN

/// The optimizer loop shared by every stage: zero grads, loss, backward, clip, schedule, step.
public enum TrainingLoop {
  public enum OptimizerKind: String, Sendable { case adamw, sgd }

  public static func run(
    model: VLModel, extra: [Module] = [], tuneExtractor: Bool, steps: Int, schedule: Schedule,
    optimizer kind: OptimizerKind, weightDecay: Float = 0.01,
    prefix: String, step body: (Int) -> (Tensor, [String: Double])
  ) -> Curve {
    var groups = model.trainableGroups(weightDecay: weightDecay, tuneExtractor: tuneExtractor)
    for m in extra { groups += m.parameterGroups(weightDecay: weightDecay) }
    let optimizer: Optimizer =
      switch kind {
      case .adamw: AdamW(groups: groups, learningRate: schedule.learningRate(at: 0))
      case .sgd: SGD(groups: groups, learningRate: schedule.learningRate(at: 0), momentum: 0.9)
      }
    let parameters = groups.flatMap(\.parameters)
    var curve = Curve()
    for step in 0..<steps {
      let lr = schedule.learningRate(at: step)
      switch optimizer {
      case let o as AdamW: o.learningRate = lr
      case let o as SGD: o.learningRate = lr
      default: break
      }
      for p in parameters { p.zeroGrad() }
      let (loss, values) = body(step)
      loss.backward()
      _ = clipGradientNorm(parameters, maxNorm: 1)
      optimizer.step()
      var logged: [String: Double] = ["\(prefix)/lr": Double(lr)]
      for (k, v) in values { logged["\(prefix)/\(k)"] = v }
      curve.record(step + 1, logged)
    }
    return curve
  }
}
