import Foundation
import Store
import Testing

/// Crashes, signals and concurrent runners: every cell ends up recorded exactly once.
@Suite struct ResilienceTests {
  static let spec = """
    name: sweep
    trainer: {command: [sh, train.sh]}
    baseline: {x: 1}
    grid: {x: [1, 2, 3, 4]}
    seeds: [1, 2]

    """

  static func alive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 }

  static func trainerPIDs(_ cli: CLI) -> [pid_t] {
    cli.read("started.log").split(separator: "\n").compactMap {
      $0.split(separator: " ").last.flatMap { pid_t($0) }
    }
  }

  @Test func resumesAfterKillNine() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let started = try cli.start(["run", "spec.yaml", "--jobs", "2"], environment: ["SLEEP_SECS": "0.4"])
    let someDone = try cli.waitFor {
      guard FileManager.default.fileExists(atPath: cli.storePath) else { return false }
      let cells = try cli.cells()
      return cells.contains { $0.status == .done } && cells.contains { $0.status == .running }
    }
    #expect(someDone)
    kill(started.0.processIdentifier, SIGKILL)
    _ = cli.finish(started)
    // The trainers died with their runner (PR_SET_PDEATHSIG).
    #expect(cli.waitFor(seconds: 5) { Self.trainerPIDs(cli).allSatisfy { !Self.alive($0) } })
    #expect(try cli.cells().contains { $0.status == .running })

    let resumed = try cli.run("run", "spec.yaml", "--jobs", "2")
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
    let cells = try cli.cells()
    #expect(cells.count == 8)
    #expect(cells.allSatisfy { $0.status == .done })
    let store = try Store(path: cli.storePath)
    for cell in cells {
      // One curve point and one final value per metric: nothing duplicated by the crash.
      #expect(try store.metricPoints(cellID: cell.id).count == 2)
    }
    let finished = cli.read("finished.log").split(separator: "\n").map(String.init)
    #expect(Set(finished) == Set(cells.map(\.id)))
  }

  @Test func twoRunnersShareTheWork() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let env = ["SLEEP_SECS": "0.2"]
    let a = try cli.start(["run", "spec.yaml", "--jobs", "2"], environment: env)
    let b = try cli.start(["run", "spec.yaml", "--jobs", "2"], environment: env)
    let ra = cli.finish(a)
    let rb = cli.finish(b)
    #expect(ra.status == 0, "\(ra.stderr)")
    #expect(rb.status == 0, "\(rb.stderr)")
    let cells = try cli.cells()
    #expect(cells.count == 8)
    #expect(cells.allSatisfy { $0.status == .done && $0.attempt == 1 })
    let started = cli.read("started.log").split(separator: "\n")
    #expect(started.count == 8)  // each cell ran exactly once, by one runner or the other
  }

  @Test func ctrlCMarksRunningCellsInterruptedAndTheNextRunResumes() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let started = try cli.start(["run", "spec.yaml", "--jobs", "2"], environment: ["SLEEP_SECS": "30"])
    #expect(
      try cli.waitFor {
        guard FileManager.default.fileExists(atPath: cli.storePath) else { return false }
        return try cli.cells().filter { $0.status == .running }.count == 2 && Self.trainerPIDs(cli).count == 2
      })
    kill(started.0.processIdentifier, SIGINT)
    let result = cli.finish(started)
    #expect(result.status == 130)
    let cells = try cli.cells()
    #expect(cells.filter { $0.status == .interrupted }.count == 2)
    #expect(!cells.contains { $0.status == .running })
    #expect(Self.trainerPIDs(cli).allSatisfy { !Self.alive($0) })

    let resumed = try cli.run("run", "spec.yaml")
    #expect(resumed.status == 0)
    #expect(resumed.stdout.contains("8 to run"))
    #expect(try cli.cells().allSatisfy { $0.status == .done })
  }

  @Test func sigtermStopsWithExitCode143() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let started = try cli.start(["run", "spec.yaml"], environment: ["SLEEP_SECS": "30"])
    #expect(
      try cli.waitFor {
        guard FileManager.default.fileExists(atPath: cli.storePath) else { return false }
        return try cli.cells().contains { $0.status == .running } && Self.trainerPIDs(cli).count == 1
      })
    kill(started.0.processIdentifier, SIGTERM)
    #expect(cli.finish(started).status == 143)
    let cells = try cli.cells()
    #expect(cells.filter { $0.status == .interrupted }.count == 1)
    #expect(cells.filter { $0.status == .pending }.count == 7)
    #expect(Self.trainerPIDs(cli).allSatisfy { !Self.alive($0) })
  }

  @Test func requireCleanRefusesADirtyTree() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    try cli.write(".gitignore", ".ablate/\n*.log\n")
    func git(_ args: String...) throws {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments =
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"] + args
      p.currentDirectoryURL = cli.directory.url
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
    }
    try git("init", "-q")
    try git("add", ".")
    try git("commit", "-qm", "spec")
    try cli.write("notes.txt", "an untracked file\n")

    let refused = try cli.run("run", "spec.yaml", "--require-clean")
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("uncommitted changes"))
    #expect(!FileManager.default.fileExists(atPath: cli.storePath))

    try FileManager.default.removeItem(atPath: cli.root + "/notes.txt")
    let clean = try cli.run("run", "spec.yaml", "--require-clean", "--only", "baseline")
    #expect(clean.status == 0, "\(clean.stderr)")
    let show = try cli.run("show", String(try cli.cells()[0].id.prefix(8)))
    #expect(show.stdout.contains("\"branch\":\"main\""))
    #expect(show.stdout.contains("\"dirty\":false"))
  }
}
