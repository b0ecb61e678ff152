/// Sizes of the benchmark network `tiny-vlbert` (the network `torch_peer.py` trains).
public struct TinyVLBERTConfig: Codable, Sendable, Equatable {
  public var vocabulary = 1024
  public var hidden = 128
  public var layers = 4
  public var heads = 4
  public var intermediate = 512
  public var sequence = 48
  public var regions = 16
  public var batch = 32
  public var regionClasses = 32
  public var patch = 768
  public var visual = 256
  public var geometry = 64
  public var positions = 64
  public var segments = 3
  public var dropout: Float = 0.1
  public var maskProbability: Float = 0.15

  public init() {}

  /// Forward FLOPs of one batch, counted as the peer counts them (masked rows by expectation).
  public var forwardFLOPs: Double {
    let (b, n, r, h, ff, a) = (
      Double(batch), Double(sequence), Double(regions), Double(hidden), Double(intermediate), Double(heads)
    )
    let t = b * n
    let masked = Double(maskProbability) * t
    let ext = 2 * b * (r + 1) * (Double(patch) * Double(visual) + Double(visual) * Double(visual))
    let emb = 2 * t * (Double(visual) + Double(geometry)) * h
    let layer = 2 * t * h * (3 * h + h + 2 * ff) + 2 * 2 * b * a * n * n * (h / a)
    let heads = 2 * masked * (h * h + h * Double(vocabulary)) + 2 * masked * h * Double(regionClasses)
    return ext + emb + Double(layers) * layer + heads
  }
}

/// One pre-training batch for `tiny-vlbert`: token ids, segments, positions, RoI pixel patches
/// (whole image first), the visual row each token reads, box geometry features, and MLM/MRC targets
/// (label -1 where a position is not masked).
public struct TinyVLBERTBatch {
  public var ids: [Int]
  public var segments: [Int]
  public var positions: [Int]
  public var patches: Tensor  // [B, R + 1, P]
  public var visualIndex: [Int]  // [B * N], into 0...R
  public var geometry: Tensor  // [B, N, GEO]
  public var keyMask: Tensor  // [B, N] additive
  public var mlmLabels: [Int]  // [B * N], -1 = not masked
  public var mrcLabels: [Int]  // [B * N], -1 = not masked

  /// A random batch with the peer's distributions.
  public static func random(_ c: TinyVLBERTConfig, generator g: RandomGenerator) -> TinyVLBERTBatch {
    let t = c.batch * c.sequence
    let textLength = c.sequence - c.regions - 1
    let vidxRow = [Int](repeating: 0, count: textLength) + Array(1...c.regions) + [0]
    return TinyVLBERTBatch(
      ids: (0..<t).map { _ in g.int(below: c.vocabulary) },
      segments: (0..<t).map { _ in g.int(below: c.segments) },
      positions: (0..<t).map { $0 % c.sequence },
      patches: g.normal(shape: [c.batch, c.regions + 1, c.patch], std: 1),
      visualIndex: Array((0..<c.batch).map { _ in vidxRow }.joined()),
      geometry: g.normal(shape: [c.batch, c.sequence, c.geometry], std: 1),
      keyMask: Tensor(zeros: [c.batch, c.sequence]),
      mlmLabels: (0..<t).map { _ in
        let l = g.int(below: c.vocabulary); return g.uniform() < c.maskProbability ? l : -1
      },
      mrcLabels: (0..<t).map { _ in
        let l = g.int(below: c.regionClasses); return g.uniform() < c.maskProbability ? l : -1
      })
  }
}

extension TinyVLBERTBatch {
  /// Items `[i * B / n, (i + 1) * B / n)` of a batch of `batch` items of `sequence` tokens: one data-parallel shard.
  public func shard(_ i: Int, of n: Int, batch: Int, sequence: Int) -> TinyVLBERTBatch {
    precondition(batch % n == 0, "TinyVLBERTBatch.shard: \(batch) items do not split into \(n) shards")
    let items = (i * batch / n)..<((i + 1) * batch / n)
    let tokens = (items.lowerBound * sequence)..<(items.upperBound * sequence)
    return TinyVLBERTBatch(
      ids: Array(ids[tokens]), segments: Array(segments[tokens]), positions: Array(positions[tokens]),
      patches: patches.sliceFirst(items), visualIndex: Array(visualIndex[tokens]),
      geometry: geometry.sliceFirst(items), keyMask: keyMask.sliceFirst(items),
      mlmLabels: Array(mlmLabels[tokens]), mrcLabels: Array(mrcLabels[tokens]))
  }
}

/// A single-stream VL-BERT-style model: visual extractor MLP over RoI patches, visual feature
/// embedding (appearance + geometry), token/segment/position embeddings, post-LN layers, an MLM
/// head tied to the token embedding and an MRC head. The benchmark network of `ablate bench`.
public final class TinyVLBERT: Module {
  public let config: TinyVLBERTConfig
  public let tokens: Embedding
  public let positions: Embedding
  public let segments: Embedding
  public let extractor1: Linear
  public let extractor2: Linear
  public let visualEmbedding: Linear
  public let embeddingNorm: LayerNorm
  public let layers: [TransformerLayer]
  public let mlmTransform: Linear
  public let mlmNorm: LayerNorm
  public let mrc: Linear

  public init(_ c: TinyVLBERTConfig, generator g: RandomGenerator) {
    config = c
    tokens = Embedding(c.vocabulary, c.hidden, generator: g)
    positions = Embedding(c.positions, c.hidden, generator: g)
    segments = Embedding(c.segments, c.hidden, generator: g)
    extractor1 = Linear(c.patch, c.visual, generator: g)
    extractor2 = Linear(c.visual, c.visual, generator: g)
    visualEmbedding = Linear(c.visual + c.geometry, c.hidden, generator: g)
    embeddingNorm = LayerNorm(c.hidden)
    let layerConfig = TransformerConfig(
      hidden: c.hidden, heads: c.heads, intermediate: c.intermediate, dropout: c.dropout)
    layers = (0..<c.layers).map { _ in TransformerLayer(layerConfig, generator: g) }
    mlmTransform = Linear(c.hidden, c.hidden, generator: g)
    mlmNorm = LayerNorm(c.hidden)
    mrc = Linear(c.hidden, c.regionClasses, generator: g)
  }

  /// Hidden states `[B, N, H]`.
  public func encode(_ batch: TinyVLBERTBatch) -> Tensor {
    let c = config
    let v = extractor2(extractor1(batch.patches).relu()).relu()  // [B, R+1, VIS]
    let rows = batch.visualIndex.enumerated().map { ($0.offset / c.sequence) * (c.regions + 1) + $0.element }
    let visual = Tensor.concatLast([v.gatherRows(rows), batch.geometry.reshaped([-1, c.geometry])])
    let shape = [c.batch, c.sequence]
    var x = embeddingNorm(
      tokens(batch.ids, shape: shape) + segments(batch.segments, shape: shape)
        + positions(batch.positions, shape: shape) + visualEmbedding(visual).reshaped(shape + [c.hidden]))
    for layer in layers { x = layer(x, keyMask: batch.keyMask) }
    return x
  }

  /// MLM cross-entropy over masked words plus MRC cross-entropy over masked RoIs.
  public func loss(_ batch: TinyVLBERTBatch) -> Tensor {
    let x = encode(batch).reshaped([-1, config.hidden])
    let mlmRows = batch.mlmLabels.indices.filter { batch.mlmLabels[$0] >= 0 }
    let mrcRows = batch.mrcLabels.indices.filter { batch.mrcLabels[$0] >= 0 }
    let h = mlmNorm(mlmTransform(x.gatherRows(mlmRows)).gelu())
    let mlm = h.matmul(tokens.weight, transposeOther: true).crossEntropy(
      labels: mlmRows.map { batch.mlmLabels[$0] })
    let mrcLoss = mrc(x.gatherRows(mrcRows)).crossEntropy(labels: mrcRows.map { batch.mrcLabels[$0] })
    return mlm + mrcLoss
  }
}
