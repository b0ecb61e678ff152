import Spec
import VL

/// The configs stage identities hash, as types: a stage's identity is the canonical JSON of its struct's
/// encoding. A nil optional is absent from it, which is how a setting added after the first tables keeps the
/// identities of the stages cached before it (`StageIdentityTests` pins them).
extension VLPipeline {
  /// What shapes the model: the part every stage's config shares.
  struct ModelConfig: Encodable, Equatable {
    struct World: Encodable, Equatable {
      var scale: String
      var seed: Int
      /// Version 1's stages were named before versions existed: nil for version 1.
      var version: Int?
    }
    var arch: String
    var size: String
    var dropout: Double
    var batchSize: Int
    var world: World
    /// VisualBERT's only.
    var earlyFusion: Bool?

    enum CodingKeys: String, CodingKey {
      case arch, size, dropout, world
      case batchSize = "batch_size"
      case earlyFusion = "early_fusion"
    }
  }

  /// One stage's config: the model's keys and the stage's own, in one object.
  struct StageConfig<Own: Encodable>: Encodable {
    var model: ModelConfig
    var own: Own

    func encode(to encoder: any Encoder) throws {
      try model.encode(to: encoder)
      try own.encode(to: encoder)
    }
  }

  struct BertInitConfig: Encodable {
    var steps: Int
    var lr: Double
    var seed: Int
  }

  struct PretrainConfig: Encodable {
    struct Factors: Encodable {
      var mlmVisualClues: Bool
      var mrcLinguisticClues: Bool
      var sentenceImageRelation: Bool
      var textOnlyCorpus: Bool
      var tuneExtractor: Bool
      /// The factors added after the first tables: nil at their defaults.
      var visualWordRate: Double?
      var regionNaming: Bool?
      var regionAttributes: Bool?

      enum CodingKeys: String, CodingKey {
        case mlmVisualClues = "mlm_visual_clues"
        case mrcLinguisticClues = "mrc_linguistic_clues"
        case sentenceImageRelation = "sentence_image_relation"
        case textOnlyCorpus = "text_only_corpus"
        case tuneExtractor = "tune_extractor"
        case visualWordRate = "visual_word_rate"
        case regionNaming = "region_naming"
        case regionAttributes = "region_attributes"
      }
    }
    var factors: Factors
    var steps: Int
    var lr: Double
    var seed: Int
  }

  struct FineTuneConfig: Encodable {
    var task: String
    var steps: Int
    var lr: Double
    var optimizer: String
    var seed: Int
    /// Added with the data-efficiency curve: nil for the whole set.
    var dataFraction: Double?
    /// The legacy recipe's stages were named before recipes existed: nil for it.
    var recipe: String?

    enum CodingKeys: String, CodingKey {
      case task, steps, lr, optimizer, seed, recipe
      case dataFraction = "data_fraction"
    }
  }

  var modelConfig: ModelConfig {
    let s = settings
    return ModelConfig(
      arch: s.arch.rawValue, size: s.sizeName, dropout: Double(s.dropout), batchSize: s.batchSize,
      world: .init(
        scale: s.scale.rawValue, seed: Int(s.worldSeed),
        version: s.worldVersion == .v1 ? nil : s.worldVersion.rawValue),
      earlyFusion: s.arch == .visualbert ? s.earlyFusion : nil)
  }

  /// The BERT-initialisation stage's config.
  var bertInitConfig: StageConfig<BertInitConfig> {
    StageConfig(
      model: modelConfig,
      own: BertInitConfig(
        steps: settings.resolvedBertInitSteps, lr: settings.bertInitLR, seed: settings.bertInitSeed))
  }

  /// The pre-training stage's config.
  var pretrainConfig: StageConfig<PretrainConfig> {
    let f = settings.pretrain
    let factors = PretrainConfig.Factors(
      mlmVisualClues: f.mlmVisualClues, mrcLinguisticClues: f.mrcLinguisticClues,
      sentenceImageRelation: f.sentenceImageRelation, textOnlyCorpus: f.textOnlyCorpus,
      tuneExtractor: f.tuneExtractor, visualWordRate: f.visualWordRate != 0.15 ? f.visualWordRate : nil,
      regionNaming: f.regionNaming ? true : nil, regionAttributes: f.regionAttributes ? true : nil)
    return StageConfig(
      model: modelConfig,
      own: PretrainConfig(
        factors: factors, steps: settings.resolvedPretrainSteps, lr: settings.pretrainLR, seed: settings.seed)
    )
  }

  /// A fine-tuning stage's config.
  func fineTuneConfig(_ task: FineTuneTask) -> StageConfig<FineTuneConfig> {
    let s = settings
    let fine = FineTuning(task: task, view: view, settings: s)
    return StageConfig(
      model: modelConfig,
      own: FineTuneConfig(
        task: task.rawValue, steps: fine.steps, lr: fine.learningRate, optimizer: fine.optimizer.rawValue,
        seed: s.seed, dataFraction: s.dataFraction != 1 ? s.dataFraction : nil,
        recipe: s.recipe != .legacy ? s.recipe.rawValue : nil))
  }
}
