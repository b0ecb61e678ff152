import NN
import World

/// ViLBERT: a text transformer and a narrower visual one, joined by co-attentional layers in which each
/// stream's queries attend to the other's keys and values. The pooled output is the product of the two
/// streams' pooled vectors. Visual outputs are projected to the text width so heads read one hidden size.
public final class TwoStreamEncoder: VLEncoder {
  public let tokenEmbedding: Embedding
  public let segmentEmbedding: Embedding
  public let positionEmbedding: Embedding
  public let textNorm: LayerNorm
  public let visualEmbedding: VisualFeatureEmbedding
  public let visualNorm: LayerNorm
  public let dropout: Dropout
  public let extractor: Extractor
  public let textLayers: [TransformerLayer]
  public let visualLayers: [TransformerLayer]
  public let coLayers: [CoAttention]
  public let textPooler: Linear
  public let visualPooler: Linear
  public let visualOutput: Linear
  public let hidden: Int
  public let heads: Int

  public init(
    vocabulary: Int, size: ModelSize, dropout p: Float, detector: DetectorNetwork?,
    generator g: RandomGenerator
  ) {
    hidden = size.hidden
    heads = size.heads
    tokenEmbedding = Embedding(vocabulary + 2, size.hidden, generator: g)
    segmentEmbedding = Embedding(3, size.hidden, generator: g)
    positionEmbedding = Embedding(128, size.hidden, generator: g)
    textNorm = LayerNorm(size.hidden)
    visualEmbedding = VisualFeatureEmbedding(output: size.visualHidden, useGeometry: true, generator: g)
    visualNorm = LayerNorm(size.visualHidden)
    dropout = Dropout(p, generator: g.split())
    extractor = Extractor(detector: detector, generator: g)
    let text = TransformerConfig(
      hidden: size.hidden, heads: size.heads, intermediate: size.intermediate, dropout: p)
    let visual = TransformerConfig(
      hidden: size.visualHidden, heads: size.heads, intermediate: 2 * size.visualHidden, dropout: p)
    textLayers = (0..<size.layers).map { _ in TransformerLayer(text, generator: g) }
    visualLayers = (0..<size.coLayers).map { _ in TransformerLayer(visual, generator: g) }
    coLayers = (0..<size.coLayers).map { _ in
      CoAttention(
        hiddenA: size.hidden, hiddenB: size.visualHidden, heads: size.heads, dropout: p, generator: g)
    }
    textPooler = Linear(size.hidden, size.hidden, generator: g)
    visualPooler = Linear(size.visualHidden, size.hidden, generator: g)
    visualOutput = Linear(size.visualHidden, size.hidden, generator: g)
  }

  /// The two streams after all layers, with their masks; `record` receives each text layer's input.
  func streams(_ batch: VLBatch, tune: Bool, record: ((Int, Tensor) -> Void)? = nil) -> (Tensor, Tensor?) {
    let (textRows, visualRows) = Self.partRows(batch)
    let (b, nt, nv) = (batch.size, batch.textLength, batch.visualLength)
    func part(_ ids: [Int], _ rows: [Int]) -> [Int] { rows.map { ids[$0] } }
    let tshape = [b, nt]
    var text = dropout(
      textNorm(
        tokenEmbedding(part(batch.tokens, textRows), shape: tshape)
          + segmentEmbedding(part(batch.segments, textRows), shape: tshape)
          + positionEmbedding(part(batch.positions, textRows), shape: tshape)))
    let maskValues = batch.keyMask.scalars
    let textMask = Tensor(textRows.map { maskValues[$0] }, shape: tshape)
    var visual: Tensor? = nil
    var visualMask: Tensor? = nil
    if nv > 0 {
      let all = visualEmbedding(batch, extractor: extractor, tune: tune)
      visual = dropout(visualNorm(all.gatherRows(visualRows).reshaped([b, nv, -1])))
      visualMask = Tensor(visualRows.map { maskValues[$0] }, shape: [b, nv])
    }
    let firstCo = textLayers.count - coLayers.count
    for (i, layer) in textLayers.enumerated() {
      if i >= firstCo, let v = visual, let vm = visualMask {
        let k = i - firstCo
        let (t2, v2) = coLayers[k](text, v, maskA: textMask, maskB: vm)
        text = t2
        visual = visualLayers[k](v2, keyMask: vm)
      }
      record?(i, text)
      text = layer(text, keyMask: textMask)
    }
    return (text, visual)
  }

  public func callAsFunction(_ batch: VLBatch, tuneExtractor: Bool) -> Encoded {
    let (text, visual) = streams(batch, tune: tuneExtractor)
    let (textRows, visualRows) = Self.partRows(batch)
    let textFlat = text.reshaped([-1, hidden])
    let cls = textFlat.gatherRows((0..<batch.size).map { $0 * batch.textLength })
    var pooled = textPooler(cls).tanh()
    var parts = [textFlat]
    if let visual {
      let visualFlat = visual.reshaped([-1, visual.lastDim])
      parts.append(visualOutput(visualFlat))
      // The visual stream's pooled vector is read at its first element (the first RoI).
      let first = visualFlat.gatherRows((0..<batch.size).map { $0 * batch.visualLength })
      pooled = pooled * visualPooler(first).tanh()
    }
    var order = [Int](repeating: 0, count: batch.size * batch.length)
    for (k, r) in textRows.enumerated() { order[r] = k }
    for (k, r) in visualRows.enumerated() { order[r] = textRows.count + k }
    return Encoded(hidden: Tensor.concatFirst(parts).gatherRows(order), pooled: pooled)
  }

  /// Text-stream self-attention (the visual stream is read through co-attention, not exported).
  public func attentionMaps(_ batch: VLBatch) -> (values: [Float], layers: Int, heads: Int, length: Int) {
    precondition(batch.size == 1, "attentionMaps: one sequence at a time")
    return Autograd.inference {
      var values: [Float] = []
      let mask = Array(batch.keyMask.scalars[0..<batch.textLength])
      _ = streams(batch, tune: false) { i, text in
        values += attentionProbabilities(self.textLayers[i].attention, text, mask: mask)
      }
      return (values, textLayers.count, heads, batch.textLength)
    }
  }
}
