import NN
import World

/// The region feature extractor: the world's detector network (768 -> 256 -> 256, ReLU), copied from the
/// detector so training starts where Fast R-CNN's pre-training left off. Frozen or tuned end to end.
public final class Extractor: Module {
  public let fc1: Linear
  public let fc2: Linear

  public init(detector: DetectorNetwork?, generator: RandomGenerator) {
    fc1 = Linear(Patch.length, Detector.featureWidth, generator: generator)
    fc2 = Linear(Detector.featureWidth, Detector.featureWidth, generator: generator)
    if let detector {
      fc1.weight.assign(detector.fc1.weight)
      fc1.bias!.assign(detector.fc1.bias!)
      fc2.weight.assign(detector.fc2.weight)
      fc2.bias!.assign(detector.fc2.bias!)
    }
  }

  /// `[P, 256]` appearance features of byte patches; without a tape when frozen (its parameters then get
  /// no gradient, and the optimizer leaves them out).
  public func callAsFunction(_ patches: [UInt8], tune: Bool) -> Tensor {
    let n = patches.count / Patch.length
    let x = Tensor(patches.map(Patch.float), shape: [n, Patch.length])
    if tune { return fc2(fc1(x).relu()).relu() }
    return Autograd.withoutGrad { fc2(fc1(x).relu()).relu() }.detached()
  }
}
