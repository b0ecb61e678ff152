import Foundation
import Store
import TestSupport

/// The real `ablate` binary, run as a subprocess in a temporary project directory.
struct CLI {
  let directory: TemporaryDirectory

  init() throws { directory = try TemporaryDirectory("ablate-cli") }

  var root: String { directory.path }
  var storePath: String { root + "/.ablate/ablate.db" }

  /// The binary built next to this test bundle.
  static let binary: String = {
    let here =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: here).deletingLastPathComponent()
    for _ in 0..<3 {
      let candidate = dir.appendingPathComponent("ablate").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    var package = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { package = package.deletingLastPathComponent() }
    for config in ["release", "debug"] {
      let candidate = package.appendingPathComponent(".build/\(config)/ablate").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return "ablate"
  }()

  @discardableResult
  func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
    let path = root + "/" + name
    try FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
    return path
  }

  func read(_ name: String) -> String {
    (try? String(contentsOfFile: root + "/" + name, encoding: .utf8)) ?? ""
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Starts `ablate args...` in the project directory without waiting.
  func start(_ args: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
    try start(program: CLI.binary, args, environment: environment)
  }

  /// Starts any program (the binary, git, GNU time) in the project directory without waiting.
  func start(program: String, _ args: [String], environment: [String: String] = [:]) throws -> (
    Process, Pipe, Pipe
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = args
    process.currentDirectoryURL = directory.url
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return (process, out, err)
  }

  func finish(_ started: (Process, Pipe, Pipe)) -> Result {
    let (process, out, err) = started
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  @discardableResult
  func run(_ args: String..., environment: [String: String] = [:]) throws -> Result {
    finish(try start(args, environment: environment))
  }

  @discardableResult
  func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
    finish(try start(args, environment: environment))
  }

  /// Runs `program args...` in the project directory and waits.
  @discardableResult
  func run(program: String, _ args: [String]) throws -> Result { finish(try start(program: program, args)) }

  /// Runs any program outside a project and returns its standard output; its stderr is discarded, so a chatty
  /// tool (Chromium, Slurm's clients) can never fill a pipe nobody reads.
  static func output(of program: String, _ args: [String], environment: [String: String] = [:]) throws
    -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = args
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// The store's cells, read directly.
  func cells() throws -> [CellRecord] { try Store(path: storePath).cells() }

  /// Polls until `condition` holds or `seconds` pass.
  func waitFor(seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }

  /// A shell-script trainer: logs its cell id, sleeps $SLEEP_SECS, writes a metric; fails on `fail: true`,
  /// reports NaN on `nan: true`.
  func writeScriptTrainer() throws {
    try write(
      "train.sh",
      """
      #!/bin/sh
      echo "$ABLATE_CELL_ID $$" >> "$(dirname "$0")/started.log"
      sleep "${SLEEP_SECS:-0}"
      if grep -q '"fail":true' "$ABLATE_CONFIG"; then echo "boom: bad config" >&2; exit 3; fi
      if grep -q '"nan":true' "$ABLATE_CONFIG"; then echo '{"step": 1, "loss": NaN}' >> "$ABLATE_METRICS"; exit 0; fi
      echo '{"step": 1, "loss": 0.5}' >> "$ABLATE_METRICS"
      echo '{"acc": 0.9}' >> "$ABLATE_METRICS"
      echo "$ABLATE_CELL_ID" >> "$(dirname "$0")/finished.log"

      """, executable: true)
  }
}
