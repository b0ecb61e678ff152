import Foundation
import SettingsDecoding
import World

/// The three architectures the trainer serves.
public enum Architecture: String, Sendable, CaseIterable, Codable {
  case vlbert, visualbert, vilbert
}

/// Model sizes: `base` is the engine's `tiny-vlbert` benchmark network; `large` is wider and deeper.
public struct ModelSize: Sendable, Equatable, Codable {
  public var hidden: Int
  public var layers: Int
  public var heads: Int
  public var intermediate: Int
  /// ViLBERT's narrower visual stream and its number of co-attentional layers.
  public var visualHidden: Int
  public var coLayers: Int

  public static let base = ModelSize(
    hidden: 128, layers: 4, heads: 4, intermediate: 512, visualHidden: 64, coLayers: 2)
  public static let large = ModelSize(
    hidden: 192, layers: 6, heads: 6, intermediate: 768, visualHidden: 96, coLayers: 3)
}

/// The pre-training factors of Table 4, plus VisualBERT's early-fusion switch.
public struct PretrainFactors: Sendable, Equatable {
  public var enabled = true
  public var mlmVisualClues = true
  public var mrcLinguisticClues = true
  public var sentenceImageRelation = false
  public var textOnlyCorpus = true
  public var tuneExtractor = true
  /// Masking probability of visual words (categories, colours, textures, sizes) in captions; other words 15%.
  public var visualWordRate = 0.15
  /// Not in the paper: an auxiliary task where a lone `[MASK]` before an image's RoIs names one of its regions'
  /// categories through the MLM head, the signal caption MLM lacks at small scale to ground words (docs/vl.md).
  public var regionNaming = false
  /// With region naming, also name the colour and texture of the image's objects (as the paper's detector, trained
  /// with Visual Genome's attribute classes, encodes them; this world's detector was trained on grey crops).
  public var regionAttributes = false

  public init() {}
}

/// Everything the `vlbert` trainer reads from a cell's resolved config; every key has a default.
public struct VLSettings: Sendable {
  public var scale: WorldScale = .small
  public var worldSeed = WorldCache.defaultSeed
  /// Which world's generators (`world.version`); the default is `WorldVersion.standard`.
  public var worldVersion: WorldVersion = .standard
  public var arch: Architecture = .vlbert
  public var sizeName = "base"
  public var size: ModelSize = .base
  public var earlyFusion = true
  public var bertInit = true
  public var pretrain = PretrainFactors()
  public var tasks: [FineTuneTask] = FineTuneTask.allCases
  public var epochScale = 1.0
  /// The share of each task's training set fine-tuning uses (`finetune.data_fraction`): at most 1 takes the
  /// first items of the set; an integer above 1 trains on a world with that many times the training images
  /// (`WorldData.finetuneMultiple`), all its items. The epochs stay, so the steps follow the items.
  public var dataFraction = 1.0
  public var seed = 1
  /// Seed of the shared BERT-initialisation stage (not the cell seed: every cell shares it).
  public var bertInitSeed = 0

  public var batchSize = 32
  public var bertInitSteps: Int?
  public var pretrainSteps: Int?
  public var bertInitLR = 1e-3
  public var pretrainLR = 5e-4
  /// The fine-tuning recipe (`train.recipe`, by default the world version's): its schedules and weight
  /// decay, and the defaults of the learning rates and epochs below (`use(_:)`), which `train.*` keys
  /// override one by one.
  public private(set) var recipe = FineTuneRecipe.standard(for: .standard)
  public var finetuneLR = FineTuneRecipe.standard(for: .standard).adamwLearningRate
  public var vcrLR = FineTuneRecipe.standard(for: .standard).sgdLearningRate
  public var vcrOptimizer = "sgd"
  /// Epochs per task.
  public var finetuneEpochs = FineTuneRecipe.standard(for: .standard).epochs
  public var dropout: Float = 0.1
  public var attentionSamples = 3

  public init() {}

  /// Fine-tunes with `recipe`, resetting the learning rates and epochs to its own.
  public mutating func use(_ recipe: FineTuneRecipe) {
    self.recipe = recipe
    finetuneLR = recipe.adamwLearningRate
    vcrLR = recipe.sgdLearningRate
    finetuneEpochs = recipe.epochs
  }
}

extension VLSettings: Decodable {
  /// Every key the `vlbert` trainer reads; an absent key keeps the default declared above.
  public init(from decoder: any Decoder) throws {
    self.init()
    let root = try decoder.container(keyedBy: SettingKey.self)
    if let world = try root.nested("world") {
      scale = try world.decode("scale", default: scale)
      worldSeed = try world.decode("seed", default: worldSeed)
      let version = try world.decode(
        "version", default: worldVersion.rawValue, atLeast: WorldVersion.v1.rawValue,
        atMost: WorldVersion.allCases.last!.rawValue)
      worldVersion = WorldVersion(rawValue: version)!
    }
    if let model = try root.nested("model") {
      arch = try model.decode("arch", default: arch)
      sizeName = try model.decode("size", default: ModelSize.Name(rawValue: sizeName)!).rawValue
      size = sizeName == "large" ? .large : .base
    }
    bertInit = try root.decode("bert_init", default: bertInit)
    if let p = try root.nested("pretrain") {
      pretrain.enabled = try p.decode("enabled", default: pretrain.enabled)
      pretrain.mlmVisualClues = try p.decode("mlm_visual_clues", default: pretrain.mlmVisualClues)
      pretrain.mrcLinguisticClues = try p.decode("mrc_linguistic_clues", default: pretrain.mrcLinguisticClues)
      pretrain.sentenceImageRelation = try p.decode(
        "sentence_image_relation", default: pretrain.sentenceImageRelation)
      pretrain.textOnlyCorpus = try p.decode("text_only_corpus", default: pretrain.textOnlyCorpus)
      pretrain.tuneExtractor = try p.decode("tune_extractor", default: pretrain.tuneExtractor)
      pretrain.visualWordRate = try p.decode(
        "visual_word_rate", default: pretrain.visualWordRate, atLeast: 0, atMost: 1)
      pretrain.regionNaming = try p.decode("region_naming", default: pretrain.regionNaming)
      pretrain.regionAttributes = try p.decode("region_attributes", default: pretrain.regionAttributes)
      if pretrain.regionAttributes && !pretrain.regionNaming {
        throw DecodingError.dataCorruptedError(
          forKey: "region_attributes", in: p, debugDescription: "needs pretrain.region_naming: true")
      }
      earlyFusion = try p.decode("early_fusion", default: earlyFusion)
    }
    if let f = try root.nested("finetune") {
      tasks = try f.decode("tasks", default: tasks)
      epochScale = try f.decode("epoch_scale", default: epochScale, atLeast: 0.01)
      dataFraction = try f.decode("data_fraction", default: dataFraction, atLeast: 0.01, atMost: 8)
      if dataFraction > 1 && dataFraction != dataFraction.rounded() {
        throw DecodingError.dataCorruptedError(
          forKey: "data_fraction", in: f,
          debugDescription: "above 1 it must be a whole number of training sets (2, 3, 4, ...)")
      }
    }
    seed = try root.decode("seed", default: seed, atLeast: 0)
    bertInitSeed = try root.decode("bert_init_seed", default: bertInitSeed, atLeast: 0)
    use(.standard(for: worldVersion))
    if let t = try root.nested("train") {
      use(try t.decode("recipe", default: recipe))
      batchSize = try t.decode("batch_size", default: batchSize, atLeast: 2)
      bertInitSteps = try t.decode("bert_init_steps", atLeast: 1) ?? bertInitSteps
      pretrainSteps = try t.decode("pretrain_steps", atLeast: 1) ?? pretrainSteps
      bertInitLR = try t.decode("bert_init_lr", default: bertInitLR, atLeast: 0)
      pretrainLR = try t.decode("pretrain_lr", default: pretrainLR, atLeast: 0)
      finetuneLR = try t.decode("finetune_lr", default: finetuneLR, atLeast: 0)
      vcrLR = try t.decode("vcr_lr", default: vcrLR, atLeast: 0)
      vcrOptimizer = try t.decode("vcr_optimizer", default: OptimizerName(rawValue: vcrOptimizer)!).rawValue
      for task in FineTuneTask.allCases {
        let key = SettingKey("\(task.rawValue)_epochs")
        finetuneEpochs[task] = try t.decode(key, atLeast: 0.01) ?? finetuneEpochs[task]
      }
      dropout = try t.decode("dropout", default: dropout, atLeast: 0, below: 1)
    }
    attentionSamples = try root.decode("attention_samples", default: attentionSamples, atLeast: 0)
  }
}

extension VLSettings {
  /// How many times its scale's fine-tuning training sets the world must hold for `dataFraction`.
  public var finetuneMultiple: Int { dataFraction > 1 ? Int(dataFraction) : 1 }
}

extension ModelSize {
  /// The sizes a spec names.
  enum Name: String, CaseIterable { case base, large }
}

/// The optimizers VCR fine-tuning can use.
enum OptimizerName: String, CaseIterable { case sgd, adamw }

extension VLSettings {
  /// Steps of the text-only MLM stage, by world scale unless set.
  public var resolvedBertInitSteps: Int {
    bertInitSteps ?? (scale == .smoke ? 4 : scale == .small ? 500 : 2000)
  }

  /// Steps of visual-linguistic pre-training, by world scale unless set. Version 2's `small` takes 1500
  /// (24,000 caption pairs, 1.5 passes over its 16,000 captions; its pilot's setting), version 1's 450.
  public var resolvedPretrainSteps: Int {
    pretrainSteps ?? (scale == .smoke ? 4 : scale == .small ? (worldVersion == .v1 ? 450 : 1500) : 2000)
  }
}
