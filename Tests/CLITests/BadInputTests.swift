import Foundation
import Testing

/// Issue 14's defects 6 and 7 on input: each is rejected up front as one located line, exit 2, nothing stored.
@Suite struct BadInputTests {
  static let spec = """
    name: v
    trainer: {command: [sh, train.sh]}
    baseline: {x: 1, opt: {lr: 1, wd: 0}}
    seeds: [1]

    """

  static func rejected(_ cli: CLI, _ result: CLI.Result, _ prefix: String) {
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.hasPrefix("ablate: " + prefix), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/.ablate"))
  }

  /// Defect 6: `opt: 3` beside `opt.lr: 0.2` in one `set` was accepted and the result depended on key order.
  @Test func conflictingPathsInOneSetAreAnError() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write(
      "spec.yaml", Self.spec + "variants:\n  - {name: a, set: {opt: 3, opt.lr: 0.2}}\n")
    Self.rejected(
      cli, try cli.run("run", "spec.yaml"),
      "spec.yaml:6:29: variant 'a' sets both 'opt' and 'opt.lr'; the result would depend on their order")
  }

  /// Defect 7: a repeated `--set` key was accepted (the last one silently won).
  @Test func aRepeatedOrOverlappingSetKeyIsAnError() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    Self.rejected(
      cli, try cli.run("run", "spec.yaml", "--set", "x=2", "--set", "x=3"),
      "--set:2:1: --set 'x' sets 'x' again (--set:1)")
    Self.rejected(
      cli, try cli.run("run", "spec.yaml", "--set", "opt={lr: 2}", "--set", "opt.wd=1"),
      "--set:2:1: --set 'opt.wd' overlaps 'opt' (--set:1)")
  }

  /// Defect 7: invalid UTF-8 in `--set` was accepted. Foundation cannot pass invalid bytes, a shell can.
  @Test func invalidUTF8InSetIsAnError() throws {
    let cli = try CLI()
    try cli.writeScriptTrainer()
    try cli.write("spec.yaml", Self.spec)
    let result = try cli.run(
      ["run", "spec.yaml", "--set", "x=ok"], environment: [:])
    #expect(result.status == 0, "\(result.stderr)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", #"exec "$0" run spec.yaml --set "x=a$(printf '\377')b""#, CLI.binary]
    process.currentDirectoryURL = cli.directory.url
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try? FileManager.default.removeItem(atPath: cli.root + "/.ablate")
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    Self.rejected(
      cli, CLI.Result(status: process.terminationStatus, stdout: "", stderr: stderr),
      "--set:1:4: --set is not UTF-8 text")
  }

  /// Defect 7: a 50 MB spec took 14-17 s and 2 GB before an error that blamed aliases; now its size is
  /// checked before a byte is parsed.
  @Test func aHugeSpecIsRefusedByItsSize() throws {
    let cli = try CLI()
    let path = try cli.write("huge.yaml", "name: huge\n")
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 50 << 20)  // sparse: 50 MiB on paper
    try handle.close()
    Self.rejected(
      cli, try cli.run("run", "huge.yaml"),
      "huge.yaml:1:1: cannot read spec: is 50 MiB; a spec may be at most 8 MiB")
  }

  /// Defect 7: `run /dev/zero` said "You don't have permission" (and would have read forever).
  @Test func aDeviceIsNotASpec() throws {
    let cli = try CLI()
    Self.rejected(
      cli, try cli.run("run", "/dev/zero"),
      "/dev/zero:1:1: cannot read spec: is not a regular file (a device, pipe or socket)")
  }
}
