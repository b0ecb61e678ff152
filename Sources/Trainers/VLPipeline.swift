import Foundation
import NN
import Orchestrator
import Spec
import Tensor
import TrainerProtocol
import VL
import World

/// A cell of a paper table as a chain of content-addressed stages:
/// BERT-init (text-only MLM, shared by every cell) -> visual-linguistic pre-training -> one fine-tuning
/// (with its evaluation) per task. A stage's identity is its own config, its input's identity and the
/// code version, so a stage that some cell already produced is loaded, never re-run.
public final class VLPipeline {
  public let settings: VLSettings
  public let view: WorldView
  public let cache: StageCache
  public let metrics: any MetricsSink
  /// Keys every stage; `VLBERTTrainer.version` is this, so it keys every cell too.
  public let codeVersion: String
  /// Names world version 1, as before versions were selectable, so v1's stages keep their identities
  /// (a later version is part of `modelConfig`). Version 3 added the per-factor diagnostics to every
  /// stage's metrics (docs/vl.md).
  public static let codeVersion = "vlbert-3/world-\(WorldVersion.v1.rawValue)"

  /// Per stage name: wall seconds (0 when reused).
  public private(set) var times: [String: Double] = [:]
  public private(set) var reusedCount = 0
  public private(set) var finals: [String: Double] = [:]

  public init(
    settings: VLSettings, view: WorldView, cache: StageCache, metrics: any MetricsSink,
    codeVersion: String = VLPipeline.codeVersion
  ) {
    self.settings = settings
    self.view = view
    self.cache = cache
    self.metrics = metrics
    self.codeVersion = codeVersion
  }

  /// The attribute probes every stage with an extractor records (built once: the regions they read).
  lazy var probe = AttributeProbe(view: view)

  func newModel(seed: Int) -> VLModel {
    VLModel(
      settings: settings, vocabulary: view.vocabulary, detector: view.world.detector?.network,
      generator: SeedStream(cell: seed).generator(.modelInit))
  }

  /// A stage's identity: its kind, its config's canonical JSON, its input stage (if any) and the code version.
  func identity(_ name: String, config: some Encodable, input: String?) throws -> String {
    StageCache.identity(
      kind: name, config: try ConfigValue(encoding: config), inputs: input.map { [$0] } ?? [],
      code: codeVersion)
  }

  /// Logs one point of the stage being trained, as it is made.
  func live(_ point: Curve.Point) throws { try metrics.log(step: point.step, point.values) }

  /// Runs (or reuses) one stage and returns its directory. A stage trained here logged its curve live
  /// (`live`); a reused one re-emits the curve it kept, so every cell's store holds the curves it rests on.
  func stage(
    _ name: String, config: some Encodable, input: String?, produce: (URL) throws -> StageSummary
  ) throws -> (id: String, directory: URL, summary: StageSummary) {
    let id = try identity(name, config: config, input: input)
    let result = try cache.stage(id) { dir in
      let start = Date()
      var summary = try produce(dir)
      summary.seconds = Date().timeIntervalSince(start)
      try summary.write(to: dir.appendingPathComponent("summary.json"))
    }
    let summary = try StageSummary(contentsOf: result.directory.appendingPathComponent("summary.json"))
    times[name] = result.reused ? 0 : summary.seconds
    if result.reused { reusedCount += 1 }
    if result.reused {
      let curve = try Curve(contentsOf: result.directory.appendingPathComponent("curve.jsonl"))
      for p in curve.points { try metrics.log(step: p.step, p.values) }
    }
    for (k, v) in summary.metrics { finals[k] = v }
    return (id, result.directory, summary)
  }

  /// The whole cell: returns the final metrics (also logged) and writes attention maps under `output`.
  @discardableResult
  public func run(output: URL) throws -> [String: Double] {
    let s = settings
    guard view.world.finetuneMultiple == s.finetuneMultiple else {
      throw VLPipelineError(
        description:
          "finetune.data_fraction \(s.dataFraction) needs a world with \(s.finetuneMultiple)x the fine-tuning "
          + "training sets; this one has \(view.world.finetuneMultiple)x")
    }
    var upstream: (id: String, directory: URL)? = nil

    if s.bertInit {
      let r = try stage("bert_init", config: bertInitConfig, input: nil) { dir in
        let model = newModel(seed: s.bertInitSeed)
        let task = Pretraining(
          factors: PretrainFactors(), view: view, batchSize: s.batchSize, textOnlyStage: true)
        let g = SeedStream(cell: s.bertInitSeed).generator(.bertInitData)
        let steps = s.resolvedBertInitSteps
        let curve = try model.train(
          tuneExtractor: false, steps: steps,
          schedule: .linearWarmupDecay(
            peak: Float(s.bertInitLR), warmupSteps: max(1, steps / 10), totalSteps: steps),
          optimizer: .adamw, prefix: "bert_init", onPoint: live
        ) { _ in task.loss(model, task.sample(generator: g), tuneExtractor: false) }
        try model.save(to: dir.appendingPathComponent("model.safetensors"))
        try curve.write(to: dir.appendingPathComponent("curve.jsonl"))
        return StageSummary(
          metrics: [Diagnostic.cloze(stage: "bert_init"): task.clozeAccuracy(model)], seconds: 0)
      }
      upstream = (r.id, r.directory)
    }

    if s.pretrain.enabled {
      let f = s.pretrain
      let input = upstream
      let r = try stage("pretrain", config: pretrainConfig, input: input?.id ?? "scratch") { dir in
        let model = newModel(seed: s.seed)
        if let input { try model.load(from: input.directory.appendingPathComponent("model.safetensors")) }
        let task = Pretraining(factors: f, view: view, batchSize: s.batchSize)
        let before = probe.metrics(stage: "pretrain", model.encoder.extractor, before: true)
        let g = SeedStream(cell: s.seed).generator(.pretrainData)
        let steps = s.resolvedPretrainSteps
        let curve = try model.train(
          tuneExtractor: f.tuneExtractor, steps: steps,
          schedule: .linearWarmupDecay(
            peak: Float(s.pretrainLR), warmupSteps: max(1, steps / 10), totalSteps: steps),
          optimizer: .adamw, prefix: "pretrain", onPoint: live
        ) { _ in task.loss(model, task.sample(generator: g), tuneExtractor: f.tuneExtractor) }
        try model.save(to: dir.appendingPathComponent("model.safetensors"))
        try curve.write(to: dir.appendingPathComponent("curve.jsonl"))
        var metrics = task.diagnostics(model).merging(before) { $1 }
        metrics.merge(probe.metrics(stage: "pretrain", model.encoder.extractor, before: false)) { $1 }
        return StageSummary(metrics: metrics, seconds: 0)
      }
      upstream = (r.id, r.directory)
    }

    // Attention maps and caption MLM accuracy of the model fine-tuning starts from.
    if let upstream {
      let model = newModel(seed: s.seed)
      try model.load(from: upstream.directory.appendingPathComponent("model.safetensors"))
      if !s.pretrain.enabled {
        let task = Pretraining(factors: s.pretrain, view: view, batchSize: s.batchSize)
        finals.merge(task.diagnostics(model)) { $1 }
      }
      if s.attentionSamples > 0 {
        try AttentionExport.write(
          model: model, view: view, count: s.attentionSamples, to: output.appendingPathComponent("attention"))
      }
    }

    for task in s.tasks {
      let fine = FineTuning(task: task, view: view, settings: s)
      let input = upstream
      _ = try stage(task.rawValue, config: fineTuneConfig(task), input: input?.id ?? "scratch") { dir in
        let model = newModel(seed: s.seed)
        if let input { try model.load(from: input.directory.appendingPathComponent("model.safetensors")) }
        let head = TaskHead(
          hidden: s.size.hidden, outputs: fine.downstream.headOutputs,
          generator: SeedStream(cell: s.seed).generator(.taskHead))
        let before = probe.metrics(stage: task.rawValue, model.encoder.extractor, before: true)
        let curve = try fine.train(model: model, head: head, seed: s.seed, onPoint: live)
        var metrics = fine.evaluate(model: model, head: head).merging(before) { $1 }
        metrics.merge(probe.metrics(stage: task.rawValue, model.encoder.extractor, before: false)) { $1 }
        metrics[Diagnostic.trainItems(task.rawValue)] = Double(fine.trainItems.count)
        for (k, v) in fine.majorityBaseline() { metrics[k] = v }
        try model.save(to: dir.appendingPathComponent("model.safetensors"))
        try SafeTensors.write(head.namedParameters(), to: dir.appendingPathComponent("head.safetensors"))
        try curve.write(to: dir.appendingPathComponent("curve.jsonl"))
        return StageSummary(metrics: metrics, seconds: 0)
      }
    }

    for (name, seconds) in times { finals["time/\(name)_s"] = seconds }
    finals["stages/reused"] = Double(reusedCount)
    try metrics.log(step: nil, finals)
    return finals
  }
}
