import Foundation
import Testing

/// The specs shipped in `experiments/` run as the README says.
@Suite struct ExampleSpecTests {
  static let experiments: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url = url.deletingLastPathComponent() }
    return url.appendingPathComponent("experiments")
  }()

  func copyExamples(into cli: CLI) throws {
    for name in ["logreg-ablation.yaml", "command-example.yaml", "command-example.sh"] {
      try FileManager.default.copyItem(
        at: Self.experiments.appendingPathComponent(name), to: cli.directory.url.appendingPathComponent(name))
    }
  }

  @Test func theThreeLineShellTrainerWorks() throws {
    let cli = try CLI()
    try copyExamples(into: cli)
    let result = try cli.run("run", "command-example.yaml")
    #expect(result.status == 0, "\(result.stderr)")
    let csv = try cli.run("export", "command-example.yaml").stdout.split(separator: "\n").map {
      $0.split(separator: ",").map(String.init)
    }
    #expect(csv.count == 4)
    let losses = csv.dropFirst().map { Double($0.last!)! }
    #expect(zip(losses, [1 / 1.1, 0.5, 1 / 11.0]).allSatisfy { abs($0 - $1) < 1e-5 })
  }

  /// Every spec shipped in `experiments/` loads, validates (the built-in trainer's keys included) and expands:
  /// `--dry-run` exits 0 and writes nothing.
  @Test func everyShippedSpecIsValid() throws {
    let cli = try CLI()
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.experiments.path)
    for name in names {  // specs, their scripts and the folders their `code:` names
      try FileManager.default.copyItem(
        at: Self.experiments.appendingPathComponent(name), to: cli.directory.url.appendingPathComponent(name))
    }
    let specs = names.filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(specs.contains("grounding.yaml") && specs.contains("table1-vcr-adamw.yaml"))
    for spec in specs {
      let result = try cli.run("run", spec, "--dry-run")
      #expect(result.status == 0, "\(spec): \(result.stderr)")
      #expect(result.stdout.contains("would run"), "\(spec): \(result.stdout)")
    }
    #expect(!FileManager.default.fileExists(atPath: cli.storePath))
  }

  @Test func theLogregAblationRuns() throws {
    let cli = try CLI()
    try copyExamples(into: cli)
    let result = try cli.run("run", "logreg-ablation.yaml", "--jobs", "2")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("logreg-ablation: done 24"))
  }
}
