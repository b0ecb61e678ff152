/// Configuration of a BERT-style encoder layer.
public struct TransformerConfig: Codable, Sendable, Equatable {
  public var hidden: Int
  public var heads: Int
  public var intermediate: Int
  public var dropout: Float
  public var layerNormEpsilon: Float

  public init(
    hidden: Int, heads: Int, intermediate: Int, dropout: Float = 0.1, layerNormEpsilon: Float = 1e-5
  ) {
    self.hidden = hidden
    self.heads = heads
    self.intermediate = intermediate
    self.dropout = dropout
    self.layerNormEpsilon = layerNormEpsilon
  }
}

/// The position-wise feed-forward block, `W2 gelu(W1 x + b1) + b2` (erf GELU).
public final class FeedForward: Module {
  public let up: Linear
  public let down: Linear

  public init(hidden: Int, intermediate: Int, generator: RandomGenerator) {
    up = Linear(hidden, intermediate, generator: generator)
    down = Linear(intermediate, hidden, generator: generator)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { down(up(x).gelu()) }
}

/// A post-LN BERT encoder layer:
/// `x = LN(x + Dropout(Attention(x)))`, then `x = LN(x + Dropout(FFN(x)))`.
public final class TransformerLayer: Module {
  public let attention: MultiHeadSelfAttention
  public let attentionNorm: LayerNorm
  public let feedForward: FeedForward
  public let outputNorm: LayerNorm
  public let dropout: Dropout

  public init(_ config: TransformerConfig, generator: RandomGenerator) {
    attention = MultiHeadSelfAttention(
      hidden: config.hidden, heads: config.heads, dropout: config.dropout, generator: generator)
    attentionNorm = LayerNorm(config.hidden, epsilon: config.layerNormEpsilon)
    feedForward = FeedForward(hidden: config.hidden, intermediate: config.intermediate, generator: generator)
    outputNorm = LayerNorm(config.hidden, epsilon: config.layerNormEpsilon)
    dropout = Dropout(config.dropout, generator: generator.split())
  }

  /// `x [B, N, H]`, `keyMask [B, N]` additive -> `[B, N, H]`.
  public func callAsFunction(_ x: Tensor, keyMask: Tensor? = nil) -> Tensor {
    let h = attentionNorm(x + dropout(attention(x, keyMask: keyMask)))
    return outputNorm(h + dropout(feedForward(h)))
  }
}

/// Sinusoidal embedding of box geometry (Relation Networks; VL-BERT's visual geometry
/// embedding): each of the 4 normalized coordinates -> sin/cos at `frequencies` wavelengths,
/// `[.., 4] -> [.., 8 * frequencies]`, optionally projected by a learned linear layer.
public final class BoxGeometryEmbedding: Module {
  public let frequencies: Int
  public let base: Float
  public let scale: Float
  public let projection: Linear?

  public init(
    frequencies: Int = 8, base: Float = 1000, scale: Float = 100, outputDim: Int? = nil,
    generator: RandomGenerator? = nil
  ) {
    self.frequencies = frequencies
    self.base = base
    self.scale = scale
    if let outputDim {
      precondition(generator != nil, "BoxGeometryEmbedding: a projection needs a generator")
      projection = Linear(8 * frequencies, outputDim, generator: generator!)
    } else {
      projection = nil
    }
  }

  public var outputDim: Int { projection?.outFeatures ?? 8 * frequencies }

  /// `boxes [.., 4]` (x1, y1, x2, y2 in [0, 1]) -> `[.., outputDim]`.
  public func callAsFunction(_ boxes: Tensor) -> Tensor {
    precondition(
      boxes.lastDim == 4, "BoxGeometryEmbedding: boxes must end in 4 coordinates, got \(boxes.shape)")
    let f = boxes.sinusoidal(frequencies: frequencies, base: base, scale: scale)
    return projection.map { $0(f) } ?? f
  }
}
