/// Multi-head self-attention with a packed `[H, 3H]` Q/K/V projection and the fused kernel.
public final class MultiHeadSelfAttention: Module {
  public let qkv: Linear
  public let output: Linear
  public let heads: Int
  public let dropout: Float
  let generator: RandomGenerator

  public init(hidden: Int, heads: Int, dropout: Float = 0, generator: RandomGenerator) {
    precondition(
      hidden % heads == 0, "MultiHeadSelfAttention: hidden \(hidden) not divisible by \(heads) heads")
    qkv = Linear(hidden, 3 * hidden, generator: generator)
    output = Linear(hidden, hidden, generator: generator)
    self.heads = heads
    self.dropout = dropout
    self.generator = generator.split()
  }

  /// `x [B, N, H]`, `keyMask [B, N]` additive (0 keep, -1e4 drop) -> `[B, N, H]`.
  public func callAsFunction(_ x: Tensor, keyMask: Tensor? = nil) -> Tensor {
    let a = Tensor.selfAttention(
      qkv: qkv(x), heads: heads, keyMask: keyMask, dropout: dropout, generator: generator)
    return output(a)
  }
}

/// Multi-head attention from one stream (queries) to another (keys and values): the building
/// block of ViLBERT's co-attention and of encoder-decoder attention.
public final class CrossAttention: Module {
  public let query: Linear
  public let keyValue: Linear
  public let output: Linear
  public let heads: Int
  public let dropout: Float
  let generator: RandomGenerator

  /// `hidden` is the query stream's width; `contextHidden` the attended stream's.
  public init(hidden: Int, contextHidden: Int, heads: Int, dropout: Float = 0, generator: RandomGenerator) {
    precondition(hidden % heads == 0, "CrossAttention: hidden \(hidden) not divisible by \(heads) heads")
    query = Linear(hidden, hidden, generator: generator)
    keyValue = Linear(contextHidden, 2 * hidden, generator: generator)
    output = Linear(hidden, hidden, generator: generator)
    self.heads = heads
    self.dropout = dropout
    self.generator = generator.split()
  }

  /// `x [B, Nq, H]` attends to `context [B, Nk, Hc]` (`contextMask [B, Nk]` additive) -> `[B, Nq, H]`.
  public func callAsFunction(_ x: Tensor, context: Tensor, contextMask: Tensor? = nil) -> Tensor {
    let a = Tensor.crossAttention(
      query: query(x), keyValue: keyValue(context), heads: heads, keyMask: contextMask, dropout: dropout,
      generator: generator)
    return output(a)
  }
}

/// Co-attention (ViLBERT): each of two streams attends to the other, then a residual and
/// post-LayerNorm per stream. Both attentions read the inputs, not each other's outputs.
public final class CoAttention: Module {
  public let aToB: CrossAttention
  public let bToA: CrossAttention
  public let normA: LayerNorm
  public let normB: LayerNorm
  public let dropA: Dropout
  public let dropB: Dropout

  public init(hiddenA: Int, hiddenB: Int, heads: Int, dropout: Float = 0.1, generator: RandomGenerator) {
    aToB = CrossAttention(
      hidden: hiddenA, contextHidden: hiddenB, heads: heads, dropout: dropout, generator: generator)
    bToA = CrossAttention(
      hidden: hiddenB, contextHidden: hiddenA, heads: heads, dropout: dropout, generator: generator)
    normA = LayerNorm(hiddenA)
    normB = LayerNorm(hiddenB)
    dropA = Dropout(dropout, generator: generator.split())
    dropB = Dropout(dropout, generator: generator.split())
  }

  public func callAsFunction(_ a: Tensor, _ b: Tensor, maskA: Tensor? = nil, maskB: Tensor? = nil)
    -> (Tensor, Tensor)
  {
    let a2 = normA(a + dropA(aToB(a, context: b, contextMask: maskB)))
    let b2 = normB(b + dropB(bToA(b, context: a, contextMask: maskA)))
    return (a2, b2)
  }
}
