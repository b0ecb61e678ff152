import Foundation
import GRDB
import Store
import Testing

/// Issue 14's store defects, through the real CLI: readers never write or wait, and resource failures are one
/// line naming the cause with the environment exit code (3), never the "a cell failed" code (1).
@Suite struct StoreAccessTests {
  static let spec = """
    name: lr
    trainer: {builtin: logreg}
    baseline: {lr: 0.5, epochs: 5}
    seeds: [1, 2]

    """

  static func ranStore() throws -> CLI {
    let cli = try CLI()
    try cli.write("spec.yaml", Self.spec)
    let result = try cli.run("run", "spec.yaml")
    #expect(result.status == 0, "\(result.stderr)")
    return cli
  }

  /// The listing commands, as a user types them.
  static func reads(_ cli: CLI) throws -> [[String]] {
    let id = String(try cli.cells()[0].id.prefix(12))
    return [
      ["status", "spec.yaml"], ["runs"], ["show", id], ["export", "spec.yaml", "--format", "csv"],
      ["run", "spec.yaml", "--dry-run"],
    ]
  }

  /// Defect 4: `status` and `show` migrated and wrote `user_version` on open, so they waited 30 s then failed
  /// while a runner held the write lock.
  @Test func readersNeverWaitOnAWriter() throws {
    let cli = try Self.ranStore()
    let commands = try Self.reads(cli)
    let queue = try DatabaseQueue(path: cli.storePath)
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN IMMEDIATE")
      try db.execute(sql: "UPDATE cells SET duration = duration")
      defer { try? db.execute(sql: "ROLLBACK") }
      for args in commands {
        let result = try cli.run(args)
        #expect(result.status == 0, "\(args): \(result.stderr)")
        #expect(!result.stdout.isEmpty, "\(args)")
      }
      #expect(db.isInsideTransaction)  // the lock was held all along
    }
  }

  /// Defect 4: on a read-only store directory `status` failed with `cannot create ....lock`. As root the
  /// commands run as `nobody` (root writes anywhere); the directory and file are read-only either way.
  @Test func readersWorkOnAReadOnlyStore() throws {
    let cli = try Self.ranStore()
    let commands = try Self.reads(cli)
    let storeDirectory = cli.root + "/.ablate"
    let fm = FileManager.default
    #expect(!fm.fileExists(atPath: cli.storePath + "-wal"))  // the runner checkpointed on close
    for file in try fm.contentsOfDirectory(atPath: storeDirectory) {
      try? fm.setAttributes([.posixPermissions: 0o444], ofItemAtPath: storeDirectory + "/" + file)
    }
    try fm.setAttributes([.posixPermissions: 0o555], ofItemAtPath: storeDirectory)
    let before = try fm.contentsOfDirectory(atPath: storeDirectory).sorted()
    defer { try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: storeDirectory) }
    let asNobody =
      getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
    for args in commands {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: asNobody.first ?? CLI.binary)
      process.arguments = Array(asNobody.dropFirst()) + (asNobody.isEmpty ? [] : [CLI.binary]) + args
      process.currentDirectoryURL = cli.directory.url
      let err = Pipe()
      let out = Pipe()
      process.standardError = err
      process.standardOutput = out
      try process.run()
      let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(args): \(stderr)")
      #expect(stdout.contains("lr") || stdout.contains("cell"), "\(args): \(stdout)")
    }
    #expect(try fm.contentsOfDirectory(atPath: storeDirectory).sorted() == before)  // nothing created
  }

  /// Defect 5: a store missing a table printed `Error: SQLite error 1: ...` and exited 1.
  @Test func aDamagedStoreIsAnEnvironmentFailureNamingTheCause() throws {
    let cli = try Self.ranStore()
    try DatabaseQueue(path: cli.storePath).write { db in try db.execute(sql: "DROP TABLE cells") }
    for args in [
      ["status", "spec.yaml"], ["run", "spec.yaml"], ["export", "spec.yaml", "--format", "json"],
    ] {
      let result = try cli.run(args)
      #expect(result.status == 3, "\(args): \(result.stdout)\(result.stderr)")
      #expect(
        result.stderr
          == "ablate: .ablate/ablate.db: not an ablate store, or damaged (no such table: cells)\n",
        "\(args)")
    }
    try "not a database at all, just text".write(toFile: cli.storePath, atomically: false, encoding: .utf8)
    let garbage = try cli.run("status", "spec.yaml")
    #expect(garbage.status == 3)
    #expect(garbage.stderr.contains("not an SQLite database, or damaged"), "\(garbage.stderr)")
  }

  /// Defect 5: on a full disk a re-run printed `Error: SQLite error 13` and exited 1, progress said "lease
  /// lost" with no other runner, and a cell was settled `failed` with "cannot prepare": a plain re-run then
  /// skipped a cell that never ran. Needs a small filesystem: a 4 MiB tmpfs (root with CAP_SYS_ADMIN).
  @Test(.enabled(if: Tmpfs.available, "needs mount -t tmpfs (root with CAP_SYS_ADMIN)"))
  func aFullDiskIsOneLineExitThreeAndNoCellIsSettledByIt() throws {
    let disk = try Tmpfs(megabytes: 4)
    defer { disk.unmount() }
    let root = disk.path
    try """
    #!/bin/sh
    awk -v n=5000 'BEGIN { for (i = 1; i <= n; i++) printf "{\\"step\\": %d, \\"loss\\": %.17g}\\n", i, 1 / i }' >> "$ABLATE_METRICS"

    """.write(toFile: root + "/train.sh", atomically: false, encoding: .utf8)
    try "name: full\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\nseeds: [1, 2, 3, 4, 5, 6]\n"
      .write(toFile: root + "/spec.yaml", atomically: false, encoding: .utf8)
    try Data(count: 3_200_000).write(to: URL(fileURLWithPath: root + "/ballast"))
    let full = try disk.run(["run", "spec.yaml"])
    #expect(full.status == 3, "\(full.stdout)\(full.stderr)")
    // The store's write or the runner's watch on the trainer's disk, whichever meets it first.
    #expect(
      full.stderr.contains(": the disk is full (")
        && full.stderr.hasSuffix("); free some space and run again\n"), "\(full.stderr)")
    #expect(full.stderr.split(separator: "\n").count == 1, "\(full.stderr)")
    #expect(!full.stdout.contains("lease lost"))
    let cells = try Store(path: root + "/.ablate/ablate.db", access: .readOnly).cells()
    #expect(!cells.contains { $0.status.isFailure }, "\(cells.map(\.status))")
    #expect(cells.contains { $0.status == .pending })
    let status = try disk.run(["status", "spec.yaml"])
    #expect(status.status == 0, "\(status.stderr)")
    // Room again: a plain re-run finishes every cell, each curve whole and written once.
    try FileManager.default.removeItem(atPath: root + "/ballast")
    let rerun = try disk.run(["run", "spec.yaml"])
    #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
    let store = try Store(path: root + "/.ablate/ablate.db", access: .readOnly)
    let done = try store.cells()
    #expect(done.count == 6 && done.allSatisfy { $0.status == .done })
    for cell in done { #expect(try store.metricPoints(cellID: cell.id).count == 5000) }
  }
}

/// A small tmpfs mounted for one test: a disk that really fills up.
final class Tmpfs {
  let path: String

  static let available: Bool = {
    guard getuid() == 0, let probe = try? Tmpfs(megabytes: 1) else { return false }
    probe.unmount()
    return true
  }()

  init(megabytes: Int) throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("ablate-tmpfs-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    guard Tmpfs.sh(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]) == 0 else {
      try? FileManager.default.removeItem(atPath: path)
      throw CocoaError(.fileWriteNoPermission)
    }
  }

  func unmount() {
    _ = Tmpfs.sh(["umount", path])
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Fills the disk with a ballast file until `bytes` are left free.
  func fill(leaving bytes: Int) throws {
    var fs = statvfs()
    guard statvfs(path, &fs) == 0 else { throw CocoaError(.fileReadUnknown) }
    let free = Int(fs.f_bavail) * Int(fs.f_frsize)
    try Data(count: max(0, free - bytes)).write(to: URL(fileURLWithPath: path + "/ballast"))
  }

  /// Removes the ballast `fill` wrote: room again.
  func emptyBallast() throws {
    try FileManager.default.removeItem(atPath: path + "/ballast")
  }

  /// `ablate args...` in the tmpfs.
  func run(_ args: [String]) throws -> CLI.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.binary)
    process.arguments = args
    process.currentDirectoryURL = URL(fileURLWithPath: path)
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLI.Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  static func sh(_ argv: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = argv
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }
}
