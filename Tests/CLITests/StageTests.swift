import Foundation
import Store
import Testing

/// Stages for any trainer through the real CLI: a pre-training stage runs once for every fine-tuning cell
/// (and every spec) that agrees on its config, and hands its directory over.
@Suite struct StageTests {
  static let pretrain = """
    echo "$ABLATE_STAGE $(cat "$ABLATE_CONFIG")" >> stage-runs.log
    if grep -q '"fail":true' "$ABLATE_CONFIG"; then echo "pretraining broke" >&2; exit 4; fi
    cat "$ABLATE_CONFIG" > "$ABLATE_OUTPUT_DIR/weights.txt"
    echo '{"step": 1, "loss": 0.5}' >> "$ABLATE_METRICS"

    """
  static let finetune = """
    weights=$(echo "$ABLATE_INPUTS" | sed 's/.*"pretrain":"\\([^"]*\\)".*/\\1/')
    echo "$ABLATE_CELL_ID $(cat "$weights/weights.txt")" >> cell-runs.log
    echo '{"acc": 0.75}' >> "$ABLATE_METRICS"

    """

  static func spec(name: String, finetuneLR: Double = 0.01) -> String {
    """
    name: \(name)
    stages:
      pretrain: {command: [sh, pretrain.sh], seeded: false}
    needs: [pretrain]
    trainer: {command: [sh, finetune.sh]}
    baseline: {pretrain: {lr: 0.1, fail: false}, finetune: {lr: \(finetuneLR)}}
    seeds: [1, 2]
    variants:
      - {name: fast, set: {finetune.lr: 0.1}}

    """
  }

  static func lines(_ cli: CLI, _ file: String) -> [String] {
    cli.read(file).split(separator: "\n").map(String.init)
  }

  @Test func aStageRunsOnceForEveryCellAndSpecThatSharesItsConfig() throws {
    let cli = try CLI()
    try cli.write("pretrain.sh", Self.pretrain)
    try cli.write("finetune.sh", Self.finetune)
    try cli.write("a.yaml", Self.spec(name: "a"))
    try cli.write("b.yaml", Self.spec(name: "b", finetuneLR: 0.02))
    let a = try cli.run("run", "a.yaml", "--jobs", "2")
    #expect(a.status == 0, "\(a.stderr)")
    // 2 rows x 2 seeds, one unseeded pre-training whose config is the `pretrain` subtree.
    #expect(Self.lines(cli, "stage-runs.log") == [#"pretrain {"fail":false,"lr":0.1}"#])
    let cells = Self.lines(cli, "cell-runs.log")
    #expect(cells.count == 4)
    #expect(cells.allSatisfy { $0.hasSuffix(#"{"fail":false,"lr":0.1}"#) })  // each read the stage's output

    // Another spec on the store with the same stage: its new cells run (its "fast" row is a's), the stage does not.
    #expect(try cli.run("run", "b.yaml").status == 0)
    #expect(Self.lines(cli, "stage-runs.log").count == 1)
    #expect(Self.lines(cli, "cell-runs.log").count == 6)

    // A row that changes the stage's config gets a stage of its own, run once for its two seeds.
    try cli.write("a.yaml", Self.spec(name: "a") + "  - {name: long-pretrain, set: {pretrain.lr: 0.5}}\n")
    #expect(try cli.run("run", "a.yaml", "--jobs", "2").status == 0)
    #expect(Self.lines(cli, "stage-runs.log") == [#"pretrain {"fail":false,"lr":0.1}"#, #"pretrain {"fail":false,"lr":0.5}"#])
    #expect(Self.lines(cli, "cell-runs.log").count == 8)

    // Editing the stage's script re-runs the stage and every cell that needs it.
    try cli.write("pretrain.sh", Self.pretrain + "# edited\n")
    let dry = try cli.run("run", "a.yaml", "--dry-run")
    #expect(dry.stdout.split(separator: "\n").filter { $0.hasPrefix("run ") }.count == 6)

    let status = try cli.run("status", "a.yaml")
    #expect(status.status == 0)
    #expect(status.stdout.contains("stage pretrain: 0 of 2 produced"))  // the edit made both new
    #expect(try cli.run("run", "a.yaml").status == 0)
    #expect(try cli.run("status", "a.yaml").stdout.contains("stage pretrain: 2 of 2 produced"))
  }

  @Test func aFailingStageFailsItsCellsWithItsErrorAndIsNotCached() throws {
    let cli = try CLI()
    try cli.write("pretrain.sh", Self.pretrain)
    try cli.write("finetune.sh", Self.finetune)
    try cli.write("a.yaml", Self.spec(name: "a").replacingOccurrences(of: "fail: false", with: "fail: true"))
    let run = try cli.run("run", "a.yaml")
    #expect(run.status == 1)
    let cells = try cli.cells()
    #expect(cells.count == 4 && cells.allSatisfy { $0.status == .failed })
    #expect(cells.allSatisfy { ($0.errorText ?? "").contains("stage 'pretrain' failed: exit code 4\npretraining broke") })
    #expect(Self.lines(cli, "cell-runs.log").isEmpty)
    // Nothing half-made is left for a later run to take as a result: the next try runs the stage again.
    #expect(try cli.run("run", "a.yaml", "--retry-failed").status == 1)
    #expect(Self.lines(cli, "stage-runs.log").count == 8)
  }

  @Test func stageMistakesAreBadInputAtTheirLine() throws {
    let cli = try CLI()
    try cli.write(
      "s.yaml",
      """
      name: s
      stages:
        pretrain: {command: [sh, p.sh], needs: [tokenise]}
        tokenize: {command: [sh, t.sh], config: nowhere}
      needs: [pretrian]
      trainer: {command: [sh, f.sh]}
      baseline: {pretrain: {lr: 1}}

      """)
    let result = try cli.run("run", "s.yaml")
    #expect(result.status == 2)
    #expect(result.stderr.contains("s.yaml:3:43: 'stages.pretrain.needs' names 'tokenise', which is not a declared stage (hint: did you mean 'tokenize'?)"))
    #expect(result.stderr.contains("s.yaml:4:43: stage 'tokenize' reads config 'nowhere', which the baseline does not have"))
    #expect(result.stderr.contains("s.yaml:5:9: 'needs' names 'pretrian'"))
    #expect(!FileManager.default.fileExists(atPath: cli.storePath))
  }
}
