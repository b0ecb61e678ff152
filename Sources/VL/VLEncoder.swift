import Foundation
import NN
import World

/// What the heads read: hidden states of every element `[B * N, H]` (text part then visual part of each
/// sequence) and the pooled vector `[B, H]`.
public struct Encoded {
  public var hidden: Tensor
  public var pooled: Tensor
}

/// A visual-linguistic encoder (VL-BERT, VisualBERT or ViLBERT style).
public protocol VLEncoder: Module {
  var hidden: Int { get }
  var tokenEmbedding: Embedding { get }
  var extractor: Extractor { get }
  func callAsFunction(_ batch: VLBatch, tuneExtractor: Bool) -> Encoded
  /// Attention probabilities `[layers, heads, N, N]` of one single-sequence batch, with the layer count.
  func attentionMaps(_ batch: VLBatch) -> (values: [Float], layers: Int, heads: Int, length: Int)
}

extension VLEncoder {
  /// Flat row indices of the text part `[B, Nt]` and of the visual part `[B, Nv]` of a batch.
  static func partRows(_ batch: VLBatch) -> (text: [Int], visual: [Int]) {
    let n = batch.length
    var text: [Int] = []
    var visual: [Int] = []
    for b in 0..<batch.size {
      for i in 0..<batch.textLength { text.append(b * n + i) }
      for i in 0..<batch.visualLength { visual.append(b * n + batch.textLength + i) }
    }
    return (text, visual)
  }
}

/// The embedding of the visual feature of each element: a linear layer over [appearance; geometry], then a
/// layer norm of its own for whole-image features (carried by words) and for RoIs; a learned vector for words
/// of text-only samples, zero for padding. As in VL-BERT's code, the whole-image norm's scale starts at 0: the
/// projected feature is ~25x larger than a word embedding, and one image-wide vector added at full scale to
/// every word drowns the words' identities (the model then learns neither the words nor the image).
public final class VisualFeatureEmbedding: Module {
  public let projection: Linear
  public let geometry: BoxGeometryEmbedding?
  public let textNorm: LayerNorm
  public let objectNorm: LayerNorm
  public let textOnly: Tensor

  public init(
    output: Int, useGeometry: Bool, textScale: Float = 0, objectScale: Float = 1, generator g: RandomGenerator
  ) {
    geometry = useGeometry ? BoxGeometryEmbedding(frequencies: 8) : nil
    projection = Linear(Detector.featureWidth + (useGeometry ? 64 : 0), output, generator: g)
    textNorm = LayerNorm(output)
    textNorm.weight.assign([Float](repeating: textScale, count: output))
    objectNorm = LayerNorm(output)
    objectNorm.weight.assign([Float](repeating: objectScale, count: output))
    textOnly = g.normal(shape: [1, output], std: 0.02)
    textOnly.requiresGrad = true
  }

  /// `[B * N, output]` for the elements of `batch`.
  public func callAsFunction(_ batch: VLBatch, extractor: Extractor, tune: Bool) -> Tensor {
    let width = projection.outFeatures
    let p = batch.patches.count / Patch.length
    var tables: [Tensor] = []
    // Table row of each patch row: whole images first, then RoIs.
    var tableRow = [Int](repeating: 0, count: p)
    if p > 0 {
      let features = extractor(batch.patches, tune: tune)
      var input = features
      if let geometry {
        input = Tensor.concatLast([features, geometry(Tensor(batch.boxes, shape: [p, 4]))])
      }
      let projected = projection(input)
      let whole = (0..<p).filter { batch.isWhole[$0] }
      let objects = (0..<p).filter { !batch.isWhole[$0] }
      for (k, r) in (whole + objects).enumerated() { tableRow[r] = k }
      if !whole.isEmpty { tables.append(textNorm(projected.gatherRows(whole))) }
      if !objects.isEmpty { tables.append(objectNorm(projected.gatherRows(objects))) }
    }
    tables.append(textOnly)
    tables.append(Tensor(zeros: [1, width]))
    let table = Tensor.concatFirst(tables)
    let rows = batch.visualRows.map { r in r >= 0 ? tableRow[r] : (r == VLBatch.textOnly ? p : p + 1) }
    return table.gatherRows(rows)
  }
}

/// Attention probabilities of one self-attention layer on `x [1, N, H]` with an additive key mask.
func attentionProbabilities(_ attention: MultiHeadSelfAttention, _ x: Tensor, mask: [Float]) -> [Float] {
  let n = x.shape[1]
  let h = x.lastDim
  let heads = attention.heads
  let d = h / heads
  let qkv = attention.qkv(x).scalars
  var out = [Float](repeating: 0, count: heads * n * n)
  let scale = 1 / Float(d).squareRoot()
  for head in 0..<heads {
    for i in 0..<n {
      var row = [Float](repeating: 0, count: n)
      for j in 0..<n {
        var s: Float = 0
        for k in 0..<d { s += qkv[i * 3 * h + head * d + k] * qkv[j * 3 * h + h + head * d + k] }
        row[j] = s * scale + mask[j]
      }
      let m = row.max() ?? 0
      var total: Float = 0
      for j in 0..<n {
        row[j] = expf(row[j] - m)
        total += row[j]
      }
      for j in 0..<n { out[(head * n + i) * n + j] = row[j] / total }
    }
  }
  return out
}
