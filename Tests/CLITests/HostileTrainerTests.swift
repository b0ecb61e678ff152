import Foundation
import Store
import Testing

/// Issue 14's hostile trainers, through the real CLI: a trainer is untrusted input and the runner survives it.
@Suite struct HostileTrainerTests {
  static let spec = """
    name: hostile
    trainer: {command: [sh, train.sh]}
    baseline: {x: 1}
    seeds: [1]

    """

  /// Defect 1: `{"step": 1e19}` trapped in Double -> Int (exit 132) and 37,500 `[` overflowed the parser's
  /// stack (exit 139); the cell stayed `running` and every re-run crashed again.
  @Test func metricsLinesThatCrashedTheRunnerAreCountedOnceAndTheCellIsDone() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh",
      """
      #!/bin/sh
      echo '{"step": 1, "loss": 0.5}' >> "$ABLATE_METRICS"
      echo '{"step": 1e19, "loss": 1}' >> "$ABLATE_METRICS"
      head -c 40000 /dev/zero | tr '\\000' '[' >> "$ABLATE_METRICS"; echo >> "$ABLATE_METRICS"
      head -c 200000 /dev/zero | tr '\\000' '1' >> "$ABLATE_METRICS"; echo >> "$ABLATE_METRICS"
      echo '{"step": 2, "loss": 0.25}' >> "$ABLATE_METRICS"

      """)
    try cli.write("spec.yaml", Self.spec)
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let cells = try cli.cells()
    #expect(cells.map(\.status) == [.done])
    let store = try Store(path: cli.storePath, access: .readOnly)
    #expect(try store.metricPoints(cellID: cells[0].id).map(\.value) == [0.5, 0.25])
    let note = try #require(cells[0].errorText)
    #expect(note.hasPrefix("metrics: 3 lines of metrics.jsonl ignored (first: line 2: step"), "\(note)")
    let shown = try cli.run("show", String(cells[0].id.prefix(12)))
    #expect(shown.stdout.contains("metrics: 3 lines"), "\(shown.stdout)")
  }

  /// Defect 6: a missing trainer executable settled every cell `failed`; now one line up front, exit 3
  /// (environment), and no store is created.
  @Test func aMissingTrainerExecutableIsOneErrorBeforeAnyCell() throws {
    let cli = try CLI()
    try cli.write(
      "spec.yaml",
      "name: gone\ntrainer: {command: [./no-such-trainer.sh, --fast]}\nbaseline: {x: 1}\nseeds: [1, 2, 3]\n")
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stderr.hasPrefix(
        "ablate: spec.yaml:2:10: trainer executable './no-such-trainer.sh' not found at "),
      "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
    let inPath = try cli.run(
      "run", "spec.yaml", "--dry-run", environment: ["PATH": "/nonexistent"])
    #expect(inPath.status == 3)
  }

  /// Defect 6: an unknown built-in trainer was reported without its place in the spec.
  @Test func anUnknownBuiltinIsReportedAtItsLine() throws {
    let cli = try CLI()
    try cli.write("spec.yaml", "name: x\ntrainer:\n  builtin: logregg\nbaseline: {lr: 0.1}\nseeds: [1]\n")
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 2)
    #expect(
      result.stderr.hasPrefix("ablate: spec.yaml:3:12: unknown built-in trainer 'logregg' (hint: one of "),
      "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
  }

  /// Defect 7: a runner killed but not yet reaped (a zombie) answered `kill(pid, 0)`, so its cells stalled
  /// for the whole lease. Its lease is taken over at once now.
  @Test func aKilledButUnreapedRunnersCellsAreTakenOverAtOnce() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh", "#!/bin/sh\necho \"$ABLATE_CELL_ID\" >> started.log\nsleep \"${SLEEP_SECS:-0}\"\n")
    try cli.write("spec.yaml", Self.spec)
    // Spawned without a reaper (Foundation's Process reaps at once): killed, it stays a zombie until waitpid.
    var pid: pid_t = 0
    let argv = [
      "/bin/sh", "-c", #"cd "$0" && exec "$@""#, cli.root, CLI.binary, "run", "spec.yaml", "--lease-seconds",
      "600",
    ]
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var env = ProcessInfo.processInfo.environment
    env["SLEEP_SECS"] = "60"
    let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { cEnv.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    #expect(posix_spawn(&pid, "/bin/sh", &actions, nil, cArgs, cEnv) == 0)
    defer {
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    #expect(cli.waitFor { cli.read("started.log").contains("\n") })
    kill(pid, SIGKILL)
    #expect(
      cli.waitFor(seconds: 5) {
        (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z") == true
      })
    // Bounded: a stalled runner would wait out the 600 s lease; a takeover finishes in seconds.
    let second = try cli.start(["run", "spec.yaml", "--lease-seconds", "600"])
    let stalled = !cli.waitFor(seconds: 60) { !second.0.isRunning }
    if stalled { second.0.terminate() }
    let result = cli.finish(second)
    #expect(!stalled, "the second runner waited on the zombie's lease")
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(try cli.cells().map(\.attempt) == [2])
  }

  /// A process that still runs: exists and is not a zombie (a zombie has ended; only its entry is left).
  static func running(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
    return state != "Z" && state != "X"
  }

  /// A trainer that leaves three kinds of descendants behind: a background child in its group, a child that
  /// left group and session by setsid, and a double-forked daemon orphaned to init.
  static let leaver = """
    #!/bin/sh
    sleep 30 & echo $! >> pids
    setsid sleep 30 & echo $! >> pids
    sh -c 'setsid sleep 30 & echo $! >> pids' &
    sleep 0.2
    echo '{"loss": 1}' >> "$ABLATE_METRICS"
    echo ready >> ready
    sleep "${SLEEP_SECS:-0}"

    """

  static func pids(_ cli: CLI) -> [pid_t] {
    cli.read("pids").split(separator: "\n").compactMap { pid_t($0) }
  }

  /// Defect 2: a trainer's background child (`sleep 30 &`) kept running after the cell was recorded `done`.
  @Test func noDescendantOutlivesItsCell() throws {
    let cli = try CLI()
    try cli.write("train.sh", Self.leaver)
    try cli.write("spec.yaml", Self.spec)
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let pids = Self.pids(cli)
    #expect(pids.count == 3)
    // Gone by the time the cell is recorded: the supervisor reaps the tree before it reports the trainer's end.
    #expect(pids.filter(Self.running).isEmpty, "still running: \(pids.filter(Self.running))")
    #expect(try cli.cells().map(\.status) == [.done])
  }

  /// Defect 2: after `kill -9` of the runner only the direct child died (PR_SET_PDEATHSIG); its children were
  /// re-parented to init and kept running beside the next run's attempt.
  @Test func noDescendantOutlivesAKilledRunner() throws {
    let cli = try CLI()
    try cli.write("train.sh", Self.leaver)
    try cli.write("spec.yaml", Self.spec)
    let started = try cli.start(["run", "spec.yaml"], environment: ["SLEEP_SECS": "30"])
    #expect(cli.waitFor { cli.read("ready").contains("ready") && Self.pids(cli).count == 3 })
    let pids = Self.pids(cli)
    #expect(pids.allSatisfy(Self.running))
    kill(started.0.processIdentifier, SIGKILL)
    _ = cli.finish(started)
    #expect(cli.waitFor(seconds: 5) { pids.allSatisfy { !Self.running($0) } }, "\(pids.filter(Self.running))")
    let resumed = try cli.run("run", "spec.yaml")
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
  }

  /// A timed-out cell's tree goes with it too.
  @Test func aTimedOutCellsTreeIsKilled() throws {
    let cli = try CLI()
    try cli.write("train.sh", Self.leaver)
    try cli.write("spec.yaml", Self.spec + "run: {timeout: 2s}\n")
    let result = try cli.run(["run", "spec.yaml"], environment: ["SLEEP_SECS": "30"])
    #expect(result.status == 1)
    #expect(try cli.cells().map(\.status) == [.timedOut])
    let pids = Self.pids(cli)
    #expect(pids.count == 3)
    #expect(pids.filter(Self.running).isEmpty)
  }
}
