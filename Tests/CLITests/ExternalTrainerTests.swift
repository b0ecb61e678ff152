import Foundation
import Store
import Testing

/// What real training code needs from a command trainer: code identity, its own YAML config as the
/// baseline, and argv placeholders, through the real CLI.
@Suite struct ExternalTrainerTests {
  /// Lines of `ablate run SPEC --dry-run` that would run.
  static func wouldRun(_ cli: CLI, _ spec: String) throws -> Int {
    let result = try cli.run("run", spec, "--dry-run")
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").filter { $0.hasPrefix("run ") }.count
  }

  static func git(_ cli: CLI, _ args: String...) throws {
    let git = try cli.run(
      program: "/usr/bin/git", ["-C", cli.root, "-c", "user.name=t", "-c", "user.email=t@t"] + args)
    #expect(git.status == 0, "\(git.stderr)")
  }

  @Test func editingAFileUnderTrainerCodeReRunsExactlyTheCellsThatUseIt() throws {
    let cli = try CLI()
    try cli.write("train.sh", ". lib/util.sh\necho \"{\\\"loss\\\": $(value)}\" >> \"$ABLATE_METRICS\"\n")
    try cli.write("lib/util.sh", "value() { echo 0.5; }\n")
    try cli.write("lib/nested/more.sh", "# helpers\n")
    try cli.write(".gitignore", ".ablate/\nlib/*.log\n")
    try cli.write(
      "uses.yaml",
      "name: uses\ntrainer: {command: [sh, train.sh], code: [lib]}\nbaseline: {x: 1}\nseeds: [1, 2]\n")
    try cli.write(
      "plain.yaml", "name: plain\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\nseeds: [1]\n")
    try Self.git(cli, "init", "-q")
    try Self.git(cli, "add", "-A")
    try Self.git(cli, "commit", "-qm", "code")
    #expect(try cli.run("run", "uses.yaml").status == 0)
    #expect(try cli.run("run", "plain.yaml").status == 0)
    #expect(try Self.wouldRun(cli, "uses.yaml") == 0)

    // An ignored file (a log beside the code) is not code.
    try cli.write("lib/debug.log", "noise\n")
    #expect(try Self.wouldRun(cli, "uses.yaml") == 0)

    // Editing an imported module re-runs the cells whose trainer.code covers it, and only those.
    try cli.write("lib/nested/more.sh", "# helpers, edited\n")
    #expect(try Self.wouldRun(cli, "uses.yaml") == 2)
    #expect(try Self.wouldRun(cli, "plain.yaml") == 0)

    // The same bytes committed or not are the same code: the identity is the content.
    try Self.git(cli, "commit", "-qam", "edit")
    #expect(try cli.run("run", "uses.yaml").status == 0)
    try cli.write("lib/nested/more.sh", "# helpers\n")
    try cli.write("lib/nested/more.sh", "# helpers, edited\n")
    #expect(try Self.wouldRun(cli, "uses.yaml") == 0)
  }

  @Test func aMissingCodePathIsBadInputAtItsLine() throws {
    let cli = try CLI()
    try cli.write(
      "spec.yaml",
      "name: s\ntrainer:\n  command: [sh, train.sh]\n  code: [train.sh, lib/]\nbaseline: {x: 1}\n")
    try cli.write("train.sh", "true\n")
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 2)
    #expect(result.stderr.contains("spec.yaml:4:20: 'trainer.code' path 'lib/' does not exist"))
    #expect(!FileManager.default.fileExists(atPath: cli.storePath))
  }

  @Test func placeholdersAndTheYAMLConfigReachTheTrainer() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh",
      """
      echo "$1|$2|$3|$ABLATE_CONFIG_YAML|$ABLATE_OUTPUT_DIR|$ABLATE_CHECKPOINT_DIR" >> args.log
      cat "$1" >> seen.yaml
      echo '{"loss": 1}' >> "$ABLATE_METRICS"

      """)
    try cli.write(
      "spec.yaml",
      """
      name: p
      trainer: {command: [sh, train.sh, "{config_yaml}", "--out={output_dir}", "{seed}"]}
      baseline: {lr: 1.0e-5, tag: "true", depth: 3, opt: {name: sgd}}
      seeds: [7]

      """)
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 0, "\(result.stderr)")
    let args = cli.read("args.log").trimmingCharacters(in: .newlines).split(separator: "|").map(String.init)
    #expect(args.count == 6)
    #expect(args[0] == args[3] && args[0].hasSuffix("/attempt-1/config.yaml"))
    #expect(args[1] == "--out=" + args[4])
    #expect(args[2] == "7")
    #expect(args[5].hasSuffix("/checkpoint"))
    let yaml = cli.read("seen.yaml")
    #expect(yaml.contains("lr: 1.0e-05"))  // a float to YAML 1.1 readers too (PyYAML)
    #expect(yaml.contains("tag: 'true'") || yaml.contains("tag: \"true\""))  // still a string
    #expect(yaml.contains("depth: 3\n") && yaml.contains("seed: 7\n") && yaml.contains("  name: sgd\n"))
    // The YAML file is the protocol's, not an artifact.
    let show = try cli.run("show", try #require(try cli.cells().first).id)
    #expect(!show.stdout.contains("config.yaml"))
  }

  @Test func anUnknownPlaceholderIsBadInputWithTheNearestName() throws {
    let cli = try CLI()
    try cli.write(
      "spec.yaml", "name: s\ntrainer: {command: [sh, train.sh, \"{config_yml}\"]}\nbaseline: {x: 1}\n")
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 2)
    #expect(result.stderr.contains("spec.yaml:2:"))
    #expect(result.stderr.contains("unknown placeholder '{config_yml}'"))
    #expect(result.stderr.contains("did you mean 'config_yaml'?"))
  }

  @Test func baselineFromTakesTheTrainersOwnConfigAsTheBaseline() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("cfgs/base.yaml", "lr: 0.1\nopt:\n  momentum: 0.9\n  nesterov: false\n")
    try cli.write(
      "spec.yaml",
      """
      name: from
      trainer: {command: [sh, train.sh]}
      baseline_from: cfgs/base.yaml
      baseline: {lr: 0.2}
      variants:
        - {name: low-momentum, set: {opt.momentum: 0.5}}

      """)
    #expect(try cli.run("run", "spec.yaml").status == 0)
    let configs = try cli.cells().sorted { $0.variant < $1.variant }.map(\.configJSON)
    #expect(configs[0].contains(#""lr":0.2"#) && configs[0].contains(#""momentum":0.9"#))
    #expect(configs[1].contains(#""momentum":0.5"#) && configs[1].contains(#""nesterov":false"#))

    // The file's content is part of every cell's identity.
    try cli.write("cfgs/base.yaml", "lr: 0.1\nopt:\n  momentum: 0.9\n  nesterov: true\n")
    #expect(try Self.wouldRun(cli, "spec.yaml") == 2)

    // A problem in it is reported in it.
    try cli.write("cfgs/base.yaml", "lr: 0.1\nopt: [unclosed\n")
    let bad = try cli.run("run", "spec.yaml")
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("cfgs/base.yaml:"))
  }

  /// Artifacts are hashed as a stream: a 4 GiB (sparse) checkpoint costs the runner no memory (about 10 s).
  @Test func aLargeArtifactIsHashedInConstantMemory() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh",
      "truncate -s 4G \"$ABLATE_OUTPUT_DIR/model.ckpt\"\necho '{\"loss\": 1}' >> \"$ABLATE_METRICS\"\n")
    try cli.write("spec.yaml", "name: big\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\n")
    // GNU time reports the runner's peak resident memory (KiB) on its last stderr line.
    let timed = try cli.run(program: "/usr/bin/time", ["-f", "%M", CLI.binary, "run", "spec.yaml"])
    let stderr = timed.stderr
    #expect(timed.status == 0, "\(stderr)")
    let peakKiB = try #require(stderr.split(separator: "\n").last.flatMap { Int($0) })
    #expect(peakKiB < 50 * 1024, "peak RSS \(peakKiB) KiB hashing a 4 GiB artifact")
    let show = try cli.run("show", try #require(try cli.cells().first).id)
    #expect(show.stdout.contains("8479e43911dc45e89f934fe48d01297e16f51d17aa561d4d1c216b1ae0fcddca"))  // 4 GiB of zeros
    #expect(show.stdout.contains("4294967296"))
  }

  @Test func exportedRowsCarryTheirProvenance() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write(".gitignore", ".ablate/\n*.log\n")
    try cli.write(
      "spec.yaml", "name: e\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\nseeds: [1, 2]\n")
    try Self.git(cli, "init", "-q")
    try Self.git(cli, "add", "-A")
    try Self.git(cli, "commit", "-qm", "code")
    #expect(try cli.run("run", "spec.yaml").status == 0)
    let head = try String(
      contentsOfFile: cli.root + "/.git/"
        + cli.read(".git/HEAD").dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines)

    let csv = try cli.run("export", "spec.yaml", "--format", "csv").stdout.split(separator: "\n")
    let header = csv[0].split(separator: ",").map(String.init)
    #expect(
      Array(header[6..<13]) == [
        "attempt", "started_at", "ended_at", "commit", "dirty", "diff_sha256", "host",
      ])
    for row in csv.dropFirst() {
      let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      #expect(fields[6] == "1" && fields[9] == head && fields[10] == "false" && fields[11].isEmpty)
      #expect(fields[7].hasPrefix("20") && fields[8] >= fields[7] && !fields[12].isEmpty)
    }
    let json = try cli.run("export", "spec.yaml", "--format", "json").stdout
    #expect(
      json.contains(#""commit":"\#(head)""#) && json.contains(#""dirty":false"#)
        && json.contains(#""attempt":1"#))
  }

  @Test func aReportColumnTakesTheBestValueOfEachCurveWithItsStep() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh",
      """
      for v in 0.5 0.9 0.7; do n=$((n + 1)); echo "{\\"step\\": $n, \\"val_acc\\": $v}" >> "$ABLATE_METRICS"; done

      """)
    let spec = """
      name: agg
      trainer: {command: [sh, train.sh]}
      baseline: {x: 1}
      report:
        columns:
          - {metric: val_acc, label: best, decimals: 2, aggregate: best}
          - {metric: val_acc, label: lowest, decimals: 2, aggregate: AGG}

      """
    try cli.write("spec.yaml", spec.replacingOccurrences(of: "AGG", with: "min"))
    #expect(try cli.run("run", "spec.yaml").status == 0)
    let report = try cli.run("report", "spec.yaml")
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("| 0.90 (n=1) | 0.50 (n=1) |"), "\(report.stdout)")
    #expect(report.stdout.contains("best: the best value of each cell's curve, at step 2."))
    #expect(report.stdout.contains("lowest: the min value of each cell's curve, at step 1."))

    try cli.write("spec.yaml", spec.replacingOccurrences(of: "AGG", with: "bets"))
    let bad = try cli.run("report", "spec.yaml")
    #expect(bad.status == 2)
    #expect(
      bad.stderr.contains(
        "spec.yaml:7:64: expected one of last, best, min, max for 'aggregate' (hint: did you mean 'best'?)"))
  }
}
