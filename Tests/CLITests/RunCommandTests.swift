import Foundation
import Store
import Testing

@Suite struct RunCommandTests {
  static let spec = """
    name: demo
    trainer: {command: [sh, train.sh]}
    baseline: {x: 1, y: 0}
    variants:
      - {name: big, set: {x: 2}}
    grid: {y: [1, 2]}
    seeds: [1, 2, 3]

    """

  @Test func dryRunPrintsTheExpansionAndWritesNothing() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let result = try cli.run("run", "spec.yaml", "--dry-run")
    #expect(result.status == 0)
    let runs = result.stdout.split(separator: "\n").filter { $0.hasPrefix("run ") }
    #expect(runs.count == 12)  // 2 rows x 2 grid points x 3 seeds
    #expect(result.stdout.contains("variant=big seed=3 y=2"))
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
  }

  @Test func specErrorsAreLocatedAndWriteNoStore() throws {
    let cli = try CLI()
    try cli.write("bad.yaml", "name: bad\ntrainer: {builtin: logreg}\nbaseline: {lr: 0.1}\nseeds: [1, two]\n")
    let result = try cli.run("run", "bad.yaml")
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n")
    #expect(!lines.isEmpty)
    #expect(lines.allSatisfy { $0.contains("bad.yaml:4:") })
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
  }

  @Test func badBuiltinConfigValueIsBadInputAndWritesNoStore() throws {
    let cli = try CLI()
    try cli.write(
      "vl.yaml",
      """
      name: vl
      trainer: {builtin: vlbert}
      baseline: {world: {scale: smoke}, pretrain: {visual_word_rate: 2}, train: {dropout: 0.1}}
      variants:
        - {name: ok, set: {pretrain.visual_word_rate: 0.5}}
        - {name: drop, set: {pretrain.visual_word_rate: 0.5, train.dropout: 1.5}}
      seeds: [1, 2]

      """)
    let result = try cli.run("run", "vl.yaml")
    #expect(result.status == 2)
    // One line a problem, at the spec line that sets the key (not one per seed or row), none for the good row.
    #expect(
      result.stderr
        == "ablate: vl.yaml:3:64: config key 'pretrain.visual_word_rate' must be <= 1, got 2.0 (hint: fix it in the spec or with --set)\n"
        + "ablate: vl.yaml:6:71: config key 'train.dropout' must be < 1, got 1.5 (hint: fix it in the spec or with --set)\n"
    )
    // A value from the command line is placed there.
    let overridden = try cli.run("run", "vl.yaml", "--only", "ok", "--set", "train.dropout=2")
    #expect(overridden.status == 2)
    #expect(overridden.stderr.hasPrefix("ablate: --set:1:1: config key 'train.dropout' must be < 1"))
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
  }

  /// A misspelt key of a built-in trainer is refused at the line that writes it, with the key it resembles,
  /// before the store opens: in a spec extending the shipped VL-BERT base, and for `logreg`.
  @Test func misspeltBuiltinKeysAreBadInputAtTheirLine() throws {
    let cli = try CLI()
    try FileManager.default.copyItem(
      at: ExampleSpecTests.experiments.appendingPathComponent("vlbert-base.yaml"),
      to: cli.directory.url.appendingPathComponent("vlbert-base.yaml"))
    try cli.write(
      "typo.yaml",
      """
      name: typo
      extends: vlbert-base.yaml
      baseline: {pretrain: {mrm: false}}

      """)
    let vl = try cli.run("run", "typo.yaml", "--set", "world.scale=smoke")
    #expect(vl.status == 2)
    #expect(
      vl.stderr
        == "ablate: typo.yaml:3:28: config key 'pretrain.mrm' is unknown "
        + "(hint: did you mean 'pretrain.mlm_visual_clues' or 'pretrain.mrc_linguistic_clues'?)\n")

    try cli.write("lr.yaml", "name: lr\ntrainer: {builtin: logreg}\nbaseline: {lrr: 3}\nseeds: [1]\n")
    let lr = try cli.run("run", "lr.yaml")
    #expect(lr.status == 2)
    #expect(lr.stderr == "ablate: lr.yaml:3:17: config key 'lrr' is unknown (hint: did you mean 'lr'?)\n")
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
  }

  @Test func unknownVariantInOnlyIsBadInput() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let result = try cli.run("run", "spec.yaml", "--only", "nope")
    #expect(result.status == 2)
    #expect(result.stderr.contains("no variant 'nope'"))
    #expect(!FileManager.default.fileExists(atPath: cli.storePath))
  }

  @Test func runsEveryCellOnceThenSkipsThem() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let first = try cli.run("run", "spec.yaml", "--jobs", "3")
    #expect(first.status == 0, "\(first.stderr)")
    let cells = try cli.cells()
    #expect(cells.count == 12)
    #expect(cells.allSatisfy { $0.status == .done })
    let store = try Store(path: cli.storePath)
    let finals = try store.finalMetrics(cellIDs: cells.map(\.id))
    #expect(finals.values.allSatisfy { $0.map(\.name) == ["acc", "loss"] })

    let second = try cli.run("run", "spec.yaml")
    #expect(second.status == 0)
    #expect(second.stdout.contains("0 to run, 12 already finished"))
    #expect(cli.read("started.log").split(separator: "\n").count == 12)

    let dry = try cli.run("run", "spec.yaml", "--dry-run")
    #expect(dry.stdout.split(separator: "\n").filter { $0.hasPrefix("skip") }.count == 12)
  }

  @Test func aFailingCellDoesNotStopTheOthers() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write(
      "spec.yaml",
      """
      name: failing
      trainer: {command: [sh, train.sh]}
      baseline: {fail: false, nan: false}
      variants:
        - {name: broken, set: {fail: true}}
        - {name: exploding, set: {nan: true}}
      seeds: [1, 2]

      """)
    let result = try cli.run("run", "spec.yaml", "--jobs", "2")
    #expect(result.status == 1)
    let cells = try cli.cells()
    #expect(cells.count == 6)
    let byVariant = Dictionary(grouping: cells, by: \.variant)
    #expect(byVariant["baseline"]!.allSatisfy { $0.status == .done })
    for cell in byVariant["broken"]! {
      #expect(cell.status == .failed)
      #expect(cell.exitCode == 3)
      #expect(cell.errorText?.contains("boom: bad config") == true)
    }
    for cell in byVariant["exploding"]! {
      #expect(cell.status == .diverged)
      #expect(cell.errorText?.contains("'loss' is nan at step 1") == true)
    }
    // Failures are settled: a plain re-run skips them, --retry-failed runs them again.
    let again = try cli.run("run", "spec.yaml")
    #expect(again.stdout.contains("0 to run"))
    let retry = try cli.run("run", "spec.yaml", "--retry-failed")
    #expect(retry.stdout.contains("4 to run"))
    #expect(try cli.cells().filter { $0.variant == "broken" }.allSatisfy { $0.attempt == 2 })
  }

  @Test func timeoutAndRetriesComeFromTheSpec() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write(
      "spec.yaml",
      """
      name: slow
      trainer: {command: [sh, train.sh]}
      baseline: {x: 1}
      run: {timeout: 0.5, retries: 1}

      """)
    let result = try cli.run("run", "spec.yaml", environment: ["SLEEP_SECS": "20"])
    #expect(result.status == 1)
    let cell = try #require(try cli.cells().first)
    #expect(cell.status == .timedOut)
    #expect(cell.attempt == 2)  // the first try and one retry
    #expect(cli.read("started.log").split(separator: "\n").count == 2)
  }
}

@Suite struct CellIdentityTests {
  func ids(_ cli: CLI) throws -> [String] {
    try cli.run("run", "spec.yaml", "--dry-run").stdout.split(separator: "\n").filter { $0.hasPrefix("run") }
      .map { String($0.split(separator: " ")[1]) }
  }

  @Test func editingTheTrainerScriptChangesIdsEditingCommentsDoesNot() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", RunCommandTests.spec)
    let before = try ids(cli)
    #expect(before.count == 12)
    try cli.write("spec.yaml", "# a comment\n" + RunCommandTests.spec)
    #expect(try ids(cli) == before)
    try cli.write("train.sh", cli.read("train.sh") + "# changed\n", executable: true)
    let after = try ids(cli)
    #expect(after.count == 12)
    #expect(Set(after).isDisjoint(with: before))
  }
}
