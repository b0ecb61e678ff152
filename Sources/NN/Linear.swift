/// `y = x W^T + b` with `W [out, in]` (PyTorch's layout and its default uniform init,
/// `U(-1/sqrt(in), 1/sqrt(in))`).
public final class Linear: Module {
  public let weight: Tensor
  public let bias: Tensor?

  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: RandomGenerator) {
    let bound = 1 / Float(inFeatures).squareRoot()
    weight = generator.uniform(shape: [outFeatures, inFeatures], low: -bound, high: bound)
    weight.requiresGrad = true
    if bias {
      let b = generator.uniform(shape: [outFeatures], low: -bound, high: bound)
      b.requiresGrad = true
      self.bias = b
    } else {
      self.bias = nil
    }
  }

  public var inFeatures: Int { weight.shape[1] }
  public var outFeatures: Int { weight.shape[0] }

  public func callAsFunction(_ x: Tensor) -> Tensor { x.linear(weight: weight, bias: bias) }
}

/// Layer normalization over the last dimension with a learned gain and shift.
public final class LayerNorm: Module {
  public let weight: Tensor
  public let bias: Tensor
  public let epsilon: Float

  public init(_ dim: Int, epsilon: Float = 1e-5) {
    weight = Tensor(repeating: 1, shape: [dim], requiresGrad: true)
    bias = Tensor(zeros: [dim], requiresGrad: true)
    self.epsilon = epsilon
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    x.layerNorm(gamma: weight, beta: bias, epsilon: epsilon)
  }
}

/// A lookup table `[count, dim]`, initialized `N(0, std^2)` (BERT uses 0.02).
public final class Embedding: Module {
  public let weight: Tensor

  public init(_ count: Int, _ dim: Int, std: Float = 0.02, generator: RandomGenerator) {
    weight = generator.normal(shape: [count, dim], std: std)
    weight.requiresGrad = true
  }

  /// Rows for `ids`, shaped `shape + [dim]` (`shape` defaults to `[ids.count]`).
  public func callAsFunction(_ ids: [Int], shape: [Int]? = nil) -> Tensor {
    weight.embedding(ids, shape: shape)
  }
}

/// Inverted dropout with its own random stream (split from the model's generator).
public final class Dropout: Module {
  public let probability: Float
  public let generator: RandomGenerator

  public init(_ probability: Float, generator: RandomGenerator) {
    precondition(probability >= 0 && probability < 1, "Dropout: probability must be in [0, 1)")
    self.probability = probability
    self.generator = generator
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { x.dropout(probability, generator: generator) }
}
