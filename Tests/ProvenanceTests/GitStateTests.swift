import Foundation
import Provenance
import TestSupport
import Testing

@Suite struct GitStateTests {
  static func git(_ dir: TemporaryDirectory, _ args: String...) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"] + args
    p.currentDirectoryURL = dir.url
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
  }

  @Test func noRepositoryIsRecordedNotAnError() throws {
    let dir = try TemporaryDirectory()
    let state = try GitState.read(at: dir.path)
    #expect(state == .none)
  }

  @Test func cleanThenDirtyWithADiff() throws {
    let dir = try TemporaryDirectory()
    try Self.git(dir, "init", "-q")
    try "one\n".write(toFile: dir.path + "/a.txt", atomically: true, encoding: .utf8)
    try ".ablate/\n".write(toFile: dir.path + "/.gitignore", atomically: true, encoding: .utf8)
    try Self.git(dir, "add", ".")
    try Self.git(dir, "commit", "-qm", "first")
    try FileManager.default.createDirectory(atPath: dir.path + "/sub", withIntermediateDirectories: true)

    let clean = try GitState.read(at: dir.path + "/sub")
    #expect(clean.isRepository)
    #expect(clean.branch == "main")
    #expect(clean.commit?.count == 40)
    #expect(!clean.dirty)
    #expect(clean.patch == nil)

    try "two\n".write(toFile: dir.path + "/a.txt", atomically: true, encoding: .utf8)
    let dirty = try GitState.read(at: dir.path)
    #expect(dirty.dirty)
    #expect(dirty.patch?.contains("+two") == true)
    #expect(dirty.diffSHA256?.count == 64)

    try "one\n".write(toFile: dir.path + "/a.txt", atomically: true, encoding: .utf8)
    try "new\n".write(toFile: dir.path + "/untracked.txt", atomically: true, encoding: .utf8)
    let untracked = try GitState.read(at: dir.path)
    #expect(untracked.dirty)
    #expect(untracked.patch?.contains("untracked.txt") == true)

    // The store's own directory never makes the tree dirty, ignored or not.
    try FileManager.default.removeItem(atPath: dir.path + "/untracked.txt")
    try FileManager.default.createDirectory(atPath: dir.path + "/store", withIntermediateDirectories: true)
    try "db".write(toFile: dir.path + "/store/ablate.db", atomically: true, encoding: .utf8)
    #expect(try GitState.read(at: dir.path).dirty)
    #expect(try !GitState.read(at: dir.path, ignoring: [dir.path + "/store"]).dirty)
  }

  @Test func provenanceHashIsStableAndBLASReported() throws {
    let dir = try TemporaryDirectory()
    let a = try Provenance.collect(directory: dir.path, ablateVersion: "1", commandLine: ["ablate", "run"])
    let b = try Provenance.collect(directory: dir.path, ablateVersion: "1", commandLine: ["ablate", "run"])
    #expect(a.hash == b.hash)
    #expect(a.blas.threads >= 1)
    #expect(!a.blas.config.isEmpty)
    #expect(a.json.contains("\"isRepository\":false"))
  }
}
