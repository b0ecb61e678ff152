import NN
import World

/// VL-BERT and VisualBERT: one transformer over words and RoIs. Each element's embedding is
/// token + visual feature + segment + position; VisualBERT's visual feature has no box geometry.
/// Without early fusion, the words run through the encoder alone and the RoIs join in one extra last layer.
public final class SingleStreamEncoder: VLEncoder {
  public let tokenEmbedding: Embedding
  public let segmentEmbedding: Embedding
  public let positionEmbedding: Embedding
  public let visualEmbedding: VisualFeatureEmbedding
  public let embeddingNorm: LayerNorm
  public let embeddingDropout: Dropout
  public let extractor: Extractor
  public let layers: [TransformerLayer]
  public let fusionLayer: TransformerLayer?
  public let pooler: Linear
  public let hidden: Int
  public let heads: Int

  public init(
    vocabulary: Int, size: ModelSize, geometry: Bool, earlyFusion: Bool, dropout: Float,
    detector: DetectorNetwork?,
    generator g: RandomGenerator
  ) {
    hidden = size.hidden
    heads = size.heads
    tokenEmbedding = Embedding(vocabulary + 2, size.hidden, generator: g)
    segmentEmbedding = Embedding(3, size.hidden, generator: g)
    positionEmbedding = Embedding(128, size.hidden, generator: g)
    visualEmbedding = VisualFeatureEmbedding(output: size.hidden, useGeometry: geometry, generator: g)
    embeddingNorm = LayerNorm(size.hidden)
    embeddingDropout = Dropout(dropout, generator: g.split())
    extractor = Extractor(detector: detector, generator: g)
    let config = TransformerConfig(
      hidden: size.hidden, heads: size.heads, intermediate: size.intermediate, dropout: dropout)
    layers = (0..<size.layers).map { _ in TransformerLayer(config, generator: g) }
    fusionLayer = earlyFusion ? nil : TransformerLayer(config, generator: g)
    pooler = Linear(size.hidden, size.hidden, generator: g)
  }

  func embed(_ batch: VLBatch, tune: Bool) -> Tensor {
    let shape = [batch.size, batch.length]
    let sum =
      tokenEmbedding(batch.tokens, shape: shape) + segmentEmbedding(batch.segments, shape: shape)
      + positionEmbedding(batch.positions, shape: shape)
      + visualEmbedding(batch, extractor: extractor, tune: tune).reshaped(shape + [hidden])
    return embeddingDropout(embeddingNorm(sum))
  }

  public func callAsFunction(_ batch: VLBatch, tuneExtractor: Bool) -> Encoded {
    var x = embed(batch, tune: tuneExtractor)
    if let fusionLayer, batch.visualLength > 0 {
      // Late fusion: words alone through the encoder, then one layer over [words; RoIs].
      let (textRows, visualRows) = Self.partRows(batch)
      let flat = x.reshaped([-1, hidden])
      let textMask = Tensor(
        (0..<batch.size).flatMap { b in
          batch.keyMask.scalars[(b * batch.length)..<(b * batch.length + batch.textLength)]
        },
        shape: [batch.size, batch.textLength])
      var text = flat.gatherRows(textRows).reshaped([batch.size, batch.textLength, hidden])
      for layer in layers { text = layer(text, keyMask: textMask) }
      let joined = Tensor.concatFirst([text.reshaped([-1, hidden]), flat.gatherRows(visualRows)])
      // Back to the batch's element order: text rows first in `joined`, then visual rows.
      var order = [Int](repeating: 0, count: batch.size * batch.length)
      for (k, r) in textRows.enumerated() { order[r] = k }
      for (k, r) in visualRows.enumerated() { order[r] = textRows.count + k }
      x = fusionLayer(
        joined.gatherRows(order).reshaped([batch.size, batch.length, hidden]), keyMask: batch.keyMask)
    } else {
      for layer in layers { x = layer(x, keyMask: batch.keyMask) }
    }
    let flat = x.reshaped([-1, hidden])
    let cls = flat.gatherRows((0..<batch.size).map { $0 * batch.length })
    return Encoded(hidden: flat, pooled: pooler(cls).tanh())
  }

  public func attentionMaps(_ batch: VLBatch) -> (values: [Float], layers: Int, heads: Int, length: Int) {
    precondition(batch.size == 1, "attentionMaps: one sequence at a time")
    return Autograd.inference {
      var x = embed(batch, tune: false)
      var values: [Float] = []
      let mask = batch.keyMask.scalars
      // Without early fusion the words attend to words only until the last layer: hide the RoIs as keys.
      var textMask = mask
      if fusionLayer != nil { for i in batch.textLength..<batch.length { textMask[i] = -1e4 } }
      let embedded = x
      for layer in layers {
        values += attentionProbabilities(layer.attention, x, mask: textMask)
        x = layer(x, keyMask: Tensor(textMask, shape: [1, batch.length]))
      }
      if let fusionLayer {
        let flat = x.scalars
        var mixed = embedded.scalars
        for i in 0..<(batch.textLength * hidden) { mixed[i] = flat[i] }
        x = Tensor(mixed, shape: x.shape)
        values += attentionProbabilities(fusionLayer.attention, x, mask: mask)
      }
      return (values, layers.count + (fusionLayer == nil ? 0 : 1), heads, batch.length)
    }
  }
}
