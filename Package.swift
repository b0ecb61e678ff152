// swift-tools-version: 6.0
import PackageDescription

/// One module per concern: C shims at the bottom, the CLI a thin layer on top.
let package = Package(
  name: "ablate",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "ablate", targets: ["ablate"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    // C libraries from the system, found through pkg-config.
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CLibGit2", pkgConfig: "libgit2",
      providers: [.apt(["libgit2-dev"])]),
    .systemLibrary(
      name: "CCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),
    // SHA-256 over libcrypto: the one hash of identities, configs, diffs and artifacts.
    .target(name: "Hashing", dependencies: ["CCrypto"]),

    // Reading a trainer's settings from any Decoder: defaults, ranges, choices (no dependencies).
    .target(name: "SettingsDecoding"),
    // One copy of each small format and generator: SplitMix64, .npy, JSON strings, XML and CSV escaping,
    // atomic file writes (Foundation only).
    .target(name: "Primitives"),
    // The trainer protocol: the `ABLATE_*` names, the run-directory layout beside the store, and both ends of
    // the metrics codec (`MetricsLine`, `MetricsFileWriter`).
    .target(name: "TrainerProtocol", dependencies: ["Primitives"]),

    // The orchestration spine.
    .target(
      name: "Spec",
      dependencies: ["Primitives", "Hashing", .product(name: "Yams", package: "Yams")]),
    .target(
      name: "Store",
      dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
    .target(
      name: "Provenance",
      dependencies: ["CLibGit2", "COpenBLAS", "Hashing"]),
    // fork/exec with a new process group and PR_SET_PDEATHSIG, pidfd waits, signal flags.
    .target(name: "CSpawn"),
    .target(
      name: "Orchestrator",
      dependencies: [
        "Primitives", "Spec", "Store", "Provenance", "CSpawn", "Hashing", "TrainerProtocol",
        .product(name: "Logging", package: "swift-log"),
      ]),
    // The Slurm executor: job arrays submitted and left to run; result files ingested by the submitter.
    .target(
      name: "Slurm",
      dependencies: ["Primitives", "Orchestrator", "TrainerProtocol", "Spec", "Store", "Provenance", "CSpawn", "Hashing"]),
    // Built-in trainers, run by `ablate exec-builtin NAME` through the external-command protocol.
    // With the VL pipeline (content-addressed stages) that runs a `vlbert` cell.
    .target(
      name: "Trainers",
      dependencies: [
        "Primitives", "Orchestrator", "Spec", "SettingsDecoding", "TrainerProtocol", "Tensor", "NN", "World", "VL",
      ]),

    // The built-in trainer's engine and data.
    // Element-wise and row kernels in C: vectorized reductions, AVX2+FMA where the CPU has it.
    .target(name: "CKernels"),
    .target(name: "Tensor", dependencies: ["Primitives", "COpenBLAS", "CKernels"]),
    .target(name: "NN", dependencies: ["Tensor"]),
    .target(name: "World", dependencies: ["Primitives", "Tensor", "NN"]),
    // The VL-BERT family (VL-BERT, VisualBERT, ViLBERT) and its staged pre-training / fine-tuning pipeline.
    .target(
      name: "VL", dependencies: ["Primitives", "Tensor", "NN", "World", "SettingsDecoding"]),

    // Tables, statistics and plots from the store.
    .target(
      name: "Report",
      dependencies: [
        "TrainerProtocol", "Primitives", "Spec", "Store", .product(name: "Yams", package: "Yams"),
        .product(name: "Mustache", package: "swift-mustache"),
      ]),

    // One spec opened against one store: load, expand, check, run (locally or on Slurm), summarise; what every
    // command that takes a SPEC calls, so the commands only parse and print.
    .target(
      name: "Experiments",
      dependencies: ["Orchestrator", "Provenance", "Report", "Slurm", "Spec", "Store", "TrainerProtocol", "Trainers"]),

    // The web dashboard: read-only pages over the store and the report, served by Hummingbird.
    .target(
      name: "Serve",
      dependencies: [
        "TrainerProtocol", "Primitives", "Report", "Spec", "Store", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // TensorBoard event files (TFRecord framing, hand-encoded Event protos) from the store's curves.
    .target(name: "TensorBoard", dependencies: ["Primitives", "Hashing", "Spec", "Store"]),

    // The command line: parsing and wiring only.
    .executableTarget(
      name: "ablate",
      dependencies: [
        "Experiments", "Primitives", "Spec", "Store", "Provenance", "Orchestrator", "TrainerProtocol", "Slurm", "Trainers", "Tensor", "NN",
        "World", "Report", "TensorBoard", "Serve", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Benchmarks: `swift run -c release spec-benchmark`.
    .executableTarget(name: "spec-benchmark", dependencies: ["Spec"], path: "Benchmarks/SpecBenchmark"),
    .executableTarget(
      name: "serve-benchmark", dependencies: ["Hashing", "Report", "Serve", "Store"],
      path: "Benchmarks/ServeBenchmark"),

    // Tests: one target per module, shared fixtures in TestSupport.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "HashingTests", dependencies: ["Hashing", "TestSupport"]),
    .testTarget(name: "SpecTests", dependencies: ["Primitives", "Spec", "Hashing", "SettingsDecoding", "TestSupport"]),
    .testTarget(
      name: "StoreTests",
      dependencies: ["Store", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "ProvenanceTests", dependencies: ["Provenance", "TestSupport"]),
    .testTarget(name: "SlurmTests", dependencies: ["Slurm", "Store", "Spec", "TestSupport"]),
    .testTarget(name: "TrainerProtocolTests", dependencies: ["Primitives", "TrainerProtocol", "TestSupport"]),
    .testTarget(
      name: "OrchestratorTests", dependencies: ["Primitives", "Orchestrator", "TrainerProtocol", "Trainers", "TestSupport"]),
    .testTarget(name: "TensorTests", dependencies: ["Primitives", "Tensor", "TestSupport"]),
    .testTarget(name: "NNTests", dependencies: ["NN", "TestSupport"]),
    .testTarget(name: "WorldTests", dependencies: ["Primitives", "World", "Hashing", "TestSupport"]),
    .testTarget(name: "VLTests", dependencies: ["VL", "TestSupport"]),
    .testTarget(
      name: "TrainersTests", dependencies: ["Trainers", "VL", "Orchestrator", "Spec", "TrainerProtocol", "TestSupport"]),
    .testTarget(
      name: "ReportTests", dependencies: ["TrainerProtocol", "Report", "Spec", "Store", "TestSupport"],
      exclude: ["Golden", "Fixtures"]),  // read through #filePath, not bundled
    .testTarget(
      name: "CLITests",
      dependencies: ["ablate", "Spec", "Store", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
  ],
  swiftLanguageModes: [.v6]
)
