import Foundation
import NN
import World

/// An encoder with the pre-training heads: MLM tied to the word embeddings, masked RoI classification
/// over the detector's classes, and sentence-image relation on the pooled output.
public final class VLModel: Module {
  public let encoder: any VLEncoder
  public let mlmTransform: Linear
  public let mlmNorm: LayerNorm
  public let mlmBias: Tensor
  public let mrc: Linear
  public let relation: Linear

  public init(
    settings s: VLSettings, vocabulary: Vocabulary, detector: DetectorNetwork?, generator g: RandomGenerator
  ) {
    switch s.arch {
    case .vlbert:
      encoder = SingleStreamEncoder(
        vocabulary: vocabulary.count, size: s.size, geometry: true, earlyFusion: true, dropout: s.dropout,
        detector: detector, generator: g)
    case .visualbert:
      encoder = SingleStreamEncoder(
        vocabulary: vocabulary.count, size: s.size, geometry: false, earlyFusion: s.earlyFusion,
        dropout: s.dropout,
        detector: detector, generator: g)
    case .vilbert:
      encoder = TwoStreamEncoder(
        vocabulary: vocabulary.count, size: s.size, dropout: s.dropout, detector: detector, generator: g)
    }
    let h = s.size.hidden
    mlmTransform = Linear(h, h, generator: g)
    mlmNorm = LayerNorm(h)
    mlmBias = Tensor(zeros: [vocabulary.count + 2], requiresGrad: true)
    mrc = Linear(h, Detector.classes, generator: g)
    relation = Linear(h, 2, generator: g)
  }

  /// Word logits `[rows, V + 2]` for hidden rows, through the decoder tied to the token embeddings.
  public func wordLogits(_ rows: Tensor) -> Tensor {
    mlmNorm(mlmTransform(rows).gelu()).matmul(encoder.tokenEmbedding.weight, transposeOther: true) + mlmBias
  }

  /// Parameters the optimizer updates: all, or all but the extractor's when it is frozen.
  public func trainableGroups(weightDecay: Float, tuneExtractor: Bool) -> [ParameterGroup] {
    let named = namedParameters().filter { tuneExtractor || !$0.0.hasPrefix("encoder.extractor.") }
    return [
      ParameterGroup(named.filter { $0.1.rank > 1 }.map(\.1), weightDecay: weightDecay),
      ParameterGroup(named.filter { $0.1.rank <= 1 }.map(\.1), weightDecay: 0),
    ]
  }

  public func save(to url: URL) throws {
    try SafeTensors.write(namedParameters(), to: url)
  }

  public func load(from url: URL) throws {
    try loadParameters(SafeTensors.read(url).tensors)
  }
}

/// A fine-tuning head: a linear layer over the hidden size (the answers for VQA, one score otherwise).
public final class TaskHead: Module {
  public let transform: Linear
  public let output: Linear

  public init(hidden: Int, outputs: Int, generator g: RandomGenerator) {
    transform = Linear(hidden, hidden, generator: g)
    output = Linear(hidden, outputs, generator: g)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { output(transform(x).gelu()) }
}
