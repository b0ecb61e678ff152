import NN

extension VLModel {
  /// Trains this model (and the `extra` heads) for one stage on NN's `TrainingLoop`, gradients clipped to
  /// norm 1; returns the stage's curve: the rate and every value `body` reports, under `prefix/`. Each point
  /// also goes to `onPoint` as it is made, so a long stage shows its progress while it trains.
  public func train(
    extra: [Module] = [], tuneExtractor: Bool, steps: Int, schedule: Schedule, optimizer kind: OptimizerKind,
    weightDecay: Float = 0.01, prefix: String, onPoint: (Curve.Point) throws -> Void = { _ in },
    step body: (Int) -> (Tensor, [String: Double])
  ) rethrows -> Curve {
    var groups = trainableGroups(weightDecay: weightDecay, tuneExtractor: tuneExtractor)
    for m in extra { groups += m.parameterGroups(weightDecay: weightDecay) }
    let loop = TrainingLoop(
      model: self, optimizer: kind.optimizer(groups: groups, learningRate: schedule.learningRate(at: 0)),
      config: TrainingConfig(steps: steps, schedule: schedule))
    var curve = Curve()
    var values: [String: Double] = [:]
    try loop.run { step, _ in
      let (loss, reported) = body(step)
      values = reported
      return loss
    } onStep: { update in
      var logged: [String: Double] = ["\(prefix)/lr": Double(update.learningRate)]
      for (k, v) in values { logged["\(prefix)/\(k)"] = v }
      curve.record(update.step, logged)
      try onPoint(curve.points[curve.points.count - 1])
    }
    return curve
  }
}
