import ArgumentParser
import Foundation
import NN

/// `ablate bench`: training throughput of the built-in engine on a fixed benchmark network.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure the built-in trainer's training throughput (compare with ../shared/bench/compare.sh).")

  /// The benchmark networks.
  enum Model: String, ExpressibleByArgument, CaseIterable { case tinyVLBERT = "tiny-vlbert" }
  /// How threads share a step.
  enum Sharing: String, ExpressibleByArgument, CaseIterable { case batch, ops }

  @Option(help: "Benchmark network (tiny-vlbert).") var model: Model = .tinyVLBERT
  @Option(help: "Threads for OpenBLAS and the engine's parallel loops.") var threads = 2
  @Option(help: "Seconds of timed training after the warm-up steps.") var seconds: Double = 8
  @Option(help: "Warm-up steps before timing.") var warmup = 5
  @Option(help: "Random seed.") var seed: UInt64 = 0
  @Option(
    help: """
      How threads share a step: 'batch' runs one replica per thread over its share of the batch (data \
      parallelism; when the thread count does not divide the batch of 32, it falls back to 'ops'), 'ops' \
      splits every product and kernel across the threads.
      """)
  var parallel: Sharing = .batch
  @Flag(help: "Print one JSON line instead of text.") var json = false
  @Option(help: "Save a checkpoint of the trained network into this directory at the end.")
  var checkpoint: String?

  func run() throws {
    guard threads >= 1, seconds > 0, warmup >= 0 else {
      throw CLIError.badInput("--threads must be >= 1, --seconds > 0, --warmup >= 0")
    }
    Parallel.setThreads(threads)
    let config = TinyVLBERTConfig()
    let generator = RandomGenerator(seed: seed)
    // Data parallelism: one replica per thread, each built for its share of the batch (the sizes that
    // matter, and so the parameter count, are the same).
    let replicas = parallel == .batch && threads > 1 && config.batch % threads == 0 ? threads : 1
    var shardConfig = config
    shardConfig.batch = config.batch / replicas
    let net = TinyVLBERT(shardConfig, generator: generator.split())
    let batch = TinyVLBERTBatch.random(config, generator: generator.split())
    let shards = (0..<replicas).map {
      batch.shard($0, of: replicas, batch: config.batch, sequence: config.sequence)
    }
    let replicated = DataParallel(net, replicas: replicas) { _ in
      TinyVLBERT(shardConfig, generator: generator.split())
    }
    let optimizer = AdamW(
      groups: [ParameterGroup(net.parameters, weightDecay: 1e-4)], learningRate: 1e-4, epsilon: 1e-8)
    var lastLoss: Float = 0
    func step() {
      optimizer.zeroGrad()
      lastLoss = replicated.lossAndGradients { replica, i in replica.loss(shards[i]) }
      optimizer.step()
    }
    for _ in 0..<warmup { step() }
    let allocationsAfterWarmup = BufferPool.shared.allocationCount
    let start = DispatchTime.now().uptimeNanoseconds
    var steps = 0
    var elapsed = 0.0
    repeat {
      step()
      steps += 1
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    let stepSeconds = elapsed / Double(steps)
    if let checkpoint {
      try Checkpoint.save(
        model: net, optimizer: optimizer, step: optimizer.stepCount, config: config,
        to: URL(fileURLWithPath: checkpoint))
    }
    let gflop = 3 * config.forwardFLOPs / 1e9
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let blas = BLAS.configuration
    let result: [String: Any] = [
      "engine": "ablate", "model": model.rawValue, "threads": threads, "replicas": replicas,
      "params": net.parameterCount,
      "steps": steps, "step_ms": (stepSeconds * 1e5).rounded() / 100,
      "samples_per_s": (Double(config.batch) / stepSeconds * 10).rounded() / 10,
      "gflop_per_step": (gflop * 100).rounded() / 100,
      "gflop_per_s": (gflop / stepSeconds * 10).rounded() / 10,
      "peak_rss_mb": Double(usage.ru_maxrss) / 1024,
      "pool_allocations_while_timed": BufferPool.shared.allocationCount - allocationsAfterWarmup,
      "loss": Double(lastLoss), "blas_core": blas.coreName, "blas_config": blas.config,
    ]
    if json {
      let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      for key in result.keys.sorted() { print("\(key): \(result[key]!)") }
    }
  }
}
