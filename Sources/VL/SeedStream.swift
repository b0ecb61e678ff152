import NN

/// The seeds of a cell's random streams, each derived from one seed (the cell's, or BERT-init's) by its own
/// labelled rule. The rules are the ones the tables ran with, so every stream, and every stored stage, is
/// unchanged; a new stream gets a new label here, never arithmetic at its call site.
public struct SeedStream: Sendable, Equatable {
  public let seed: Int

  public init(cell seed: Int) { self.seed = seed }

  public enum Stream: Sendable, Hashable {
    /// The model's initial weights.
    case modelInit
    /// BERT-init's batches (the text-only MLM stage).
    case bertInitData
    /// Pre-training's batches and masking.
    case pretrainData
    /// A fine-tuning task head's initial weights.
    case taskHead
    /// A fine-tuning task's data order.
    case fineTuneData(FineTuneTask)
  }

  public func seed(_ stream: Stream) -> UInt64 {
    let s = UInt64(seed)
    switch stream {
    case .modelInit: return s &* 0x2545_F491_4F6C_DD1D &+ 1
    case .bertInitData: return s &+ 0xB347
    case .pretrainData: return s &* 0x9E37_79B9 &+ 0x9E7
    case .taskHead: return s &+ 0x4EAD
    case .fineTuneData(let task):
      return s &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(FineTuneTask.allCases.firstIndex(of: task)!) &+ 17
    }
  }

  public func generator(_ stream: Stream) -> RandomGenerator { RandomGenerator(seed: seed(stream)) }
}
