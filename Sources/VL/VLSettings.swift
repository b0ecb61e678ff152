import Foundation
import Orchestrator
import Spec
import World

/// A config key that is present but wrong: one line naming the key, the value and what is expected.
public struct VLConfigError: ConfigKeyProblem, Sendable, CustomStringConvertible {
  public var key: String
  public var problem: String
  public init(key: String, _ problem: String) {
    self.key = key
    self.problem = problem
  }
  public var description: String { "config key '\(key)' \(problem)" }
}

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
}

/// Everything the `vlbert` trainer reads from a cell's resolved config; every key has a default.
public struct VLSettings: Sendable {
  public var scale: WorldScale = .small
  public var worldSeed: UInt64 = 0
  public var arch: Architecture = .vlbert
  public var sizeName = "base"
  public var size: ModelSize = .base
  public var earlyFusion = true
  public var bertInit = true
  public var pretrain = PretrainFactors()
  public var tasks: [FineTuneTask] = FineTuneTask.allCases
  public var epochScale = 1.0
  public var seed = 1
  /// Seed of the shared BERT-initialisation stage (not the cell seed: every cell shares it).
  public var bertInitSeed = 0

  public var batchSize = 32
  public var bertInitSteps: Int?
  public var pretrainSteps: Int?
  public var bertInitLR = 1e-3
  public var pretrainLR = 5e-4
  public var finetuneLR = 3e-4
  public var vcrLR = 0.02
  public var vcrOptimizer = "sgd"
  /// Epochs per task: long enough at `small` scale to leave the plateau where the model predicts the prior
  /// (RefCOCO+ needs ~300 steps before grounding starts; measured, see docs/vl.md).
  public var finetuneEpochs: [FineTuneTask: Double] = [.vqa: 8, .vcr: 1.5, .refcoco: 20]
  public var dropout: Float = 0.1
  public var attentionSamples = 3

  public init() {}

  public init(config: ConfigValue) throws {
    func value(_ key: String) -> ConfigValue? {
      guard let v = config[path: key], !v.isNull else { return nil }
      return v
    }
    func bool(_ key: String) throws -> Bool? {
      guard let v = value(key) else { return nil }
      guard let b = v.boolValue else {
        throw VLConfigError(key: key, "must be true or false, got \(v.canonicalJSON)")
      }
      return b
    }
    func number(_ key: String, minimum: Double = -.infinity) throws -> Double? {
      guard let v = value(key) else { return nil }
      guard let d = v.doubleValue, d.isFinite, d >= minimum else {
        throw VLConfigError(key: key, "must be a number >= \(minimum), got \(v.canonicalJSON)")
      }
      return d
    }
    func integer(_ key: String, minimum: Int) throws -> Int? {
      guard let d = try number(key) else { return nil }
      guard d == d.rounded(), Int(d) >= minimum else {
        throw VLConfigError(key: key, "must be an integer >= \(minimum), got \(d)")
      }
      return Int(d)
    }
    func string(_ key: String, among allowed: [String]) throws -> String? {
      guard let v = value(key) else { return nil }
      guard let s = v.stringValue, allowed.contains(s) else {
        throw VLConfigError(
          key: key, "must be one of \(allowed.joined(separator: " | ")), got \(v.canonicalJSON)")
      }
      return s
    }
    if let s = try string("world.scale", among: WorldScale.allCases.map(\.rawValue)) {
      scale = WorldScale(rawValue: s)!
    }
    if let s = try integer("world.seed", minimum: 0) { worldSeed = UInt64(s) }
    if let s = try string("model.arch", among: Architecture.allCases.map(\.rawValue)) {
      arch = Architecture(rawValue: s)!
    }
    if let s = try string("model.size", among: ["base", "large"]) {
      sizeName = s
      size = s == "large" ? .large : .base
    }
    if let b = try bool("bert_init") { bertInit = b }
    if let b = try bool("pretrain.enabled") { pretrain.enabled = b }
    if let b = try bool("pretrain.mlm_visual_clues") { pretrain.mlmVisualClues = b }
    if let b = try bool("pretrain.mrc_linguistic_clues") { pretrain.mrcLinguisticClues = b }
    if let b = try bool("pretrain.sentence_image_relation") { pretrain.sentenceImageRelation = b }
    if let b = try bool("pretrain.text_only_corpus") { pretrain.textOnlyCorpus = b }
    if let b = try bool("pretrain.tune_extractor") { pretrain.tuneExtractor = b }
    if let d = try number("pretrain.visual_word_rate", minimum: 0) {
      guard d <= 1 else {
        throw VLConfigError(key: "pretrain.visual_word_rate", "must be <= 1, got \(d)")
      }
      pretrain.visualWordRate = d
    }
    if let b = try bool("pretrain.region_naming") { pretrain.regionNaming = b }
    if let b = try bool("pretrain.region_attributes") { pretrain.regionAttributes = b }
    if pretrain.regionAttributes && !pretrain.regionNaming {
      throw VLConfigError(key: "pretrain.region_attributes", "needs pretrain.region_naming: true")
    }
    if let b = try bool("pretrain.early_fusion") { earlyFusion = b }
    if let v = value("finetune.tasks") {
      guard let items = v.arrayValue else {
        throw VLConfigError(
          key: "finetune.tasks", "must be a list of vcr | vqa | refcoco, got \(v.canonicalJSON)")
      }
      tasks = try items.map { item in
        guard let s = item.stringValue, let t = FineTuneTask(rawValue: s) else {
          throw VLConfigError(
            key: "finetune.tasks", "has \(item.canonicalJSON); expected vcr | vqa | refcoco")
        }
        return t
      }
    }
    if let d = try number("finetune.epoch_scale", minimum: 0.01) { epochScale = d }
    if let s = try integer("seed", minimum: 0) { seed = s }
    if let s = try integer("bert_init_seed", minimum: 0) { bertInitSeed = s }
    if let s = try integer("train.batch_size", minimum: 2) { batchSize = s }
    if let s = try integer("train.bert_init_steps", minimum: 1) { bertInitSteps = s }
    if let s = try integer("train.pretrain_steps", minimum: 1) { pretrainSteps = s }
    if let d = try number("train.bert_init_lr", minimum: 0) { bertInitLR = d }
    if let d = try number("train.pretrain_lr", minimum: 0) { pretrainLR = d }
    if let d = try number("train.finetune_lr", minimum: 0) { finetuneLR = d }
    if let d = try number("train.vcr_lr", minimum: 0) { vcrLR = d }
    if let s = try string("train.vcr_optimizer", among: ["sgd", "adamw"]) { vcrOptimizer = s }
    for task in FineTuneTask.allCases {
      if let d = try number("train.\(task.rawValue)_epochs", minimum: 0.01) { finetuneEpochs[task] = d }
    }
    if let d = try number("train.dropout", minimum: 0) {
      guard d < 1 else { throw VLConfigError(key: "train.dropout", "must be < 1, got \(d)") }
      dropout = Float(d)
    }
    if let s = try integer("attention_samples", minimum: 0) { attentionSamples = s }
  }

  /// Steps of the text-only MLM stage, by world scale unless set.
  public var resolvedBertInitSteps: Int {
    bertInitSteps ?? (scale == .smoke ? 4 : scale == .small ? 500 : 2000)
  }

  /// Steps of visual-linguistic pre-training, by world scale unless set.
  public var resolvedPretrainSteps: Int {
    pretrainSteps ?? (scale == .smoke ? 4 : scale == .small ? 450 : 2000)
  }
}
