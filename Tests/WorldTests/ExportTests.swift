import Foundation
import TestSupport
import Testing

@testable import World

func files(_ dir: URL) throws -> [String: Data] {
  var out: [String: Data] = [:]
  let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
  for case let url as URL in e where !url.hasDirectoryPath {
    out[String(url.path.dropFirst(dir.path.count))] = try Data(contentsOf: url)
  }
  return out
}

@Test func sameSeedGivesByteIdenticalExportsAndTheReaderRoundTrips() throws {
  let dir = try TemporaryDirectory()
  let a = dir.url.appendingPathComponent("a")
  let b = dir.url.appendingPathComponent("b")
  try smokeWorld.export(to: a)
  try WorldData.build(seed: 7, scale: .smoke, version: .v1).export(to: b)
  let fa = try files(a)
  #expect(fa.count >= 25)
  #expect(fa == (try files(b)))

  let read = try WorldData(contentsOf: a)
  #expect(read.images == smokeWorld.images)
  #expect(read.vqa == smokeWorld.vqa && read.vcr == smokeWorld.vcr && read.refcoco == smokeWorld.refcoco)
  #expect(read.captions == smokeWorld.captions && read.text == smokeWorld.text)
  #expect(read.detected == smokeWorld.detected && read.groundTruth == smokeWorld.groundTruth)
  #expect(
    read.detector!.network.namedParameters().map { $0.1.scalars }
      == smokeWorld.detector!.network.namedParameters().map { $0.1.scalars })
  #expect(fa["/detector/detector.safetensors"] != nil && fa["/detector/fc1.weight.npy"] != nil)
  #expect(read.detectorReport == smokeWorld.detectorReport)
}

@Test func differentSeedsGiveDifferentWorlds() {
  let other = WorldLayout(seed: 8, scale: .smoke, version: .v1)
  #expect(other.scenes.map(\.objects) != smokeLayout.scenes.map(\.objects))
  #expect(other.vqa.map(\.question) != smokeLayout.vqa.map(\.question))
}

@Test func exportRefusesANonEmptyDirectory() throws {
  let dir = try TemporaryDirectory()
  try Data("x".utf8).write(to: dir.url.appendingPathComponent("keep.txt"))
  #expect(throws: WorldError.self) { try smokeWorld.export(to: dir.url) }
  #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("keep.txt").path))
}

@Test func readerReportsTheFileAndLineOfABadAnnotation() throws {
  let dir = try TemporaryDirectory()
  let w = dir.url.appendingPathComponent("w")
  try smokeWorld.export(to: w)
  let vqa = w.appendingPathComponent("vqa.jsonl")
  var lines = try String(contentsOf: vqa, encoding: .utf8).split(separator: "\n").map(String.init)
  lines[2] = lines[2].replacingOccurrences(of: "\"question\"", with: "\"questoin\"")
  try (lines.joined(separator: "\n") + "\n").write(to: vqa, atomically: true, encoding: .utf8)
  let error = #expect(throws: WorldError.self) { try WorldData(contentsOf: w) }
  let d = error?.description ?? ""
  #expect(d.hasPrefix(vqa.path + ":3:1:") && d.contains("question"), "\(d)")
}

@Test func cacheBuildsOnceThenReuses() throws {
  let dir = try TemporaryDirectory()
  var messages: [String] = []
  let first = try WorldCache.load(scale: .smoke, seed: 7, root: dir.url) { messages.append($0) }
  #expect(messages.contains { $0.hasPrefix("cached at") })
  messages = []
  let second = try WorldCache.load(scale: .smoke, seed: 7, root: dir.url) { messages.append($0) }
  #expect(messages.contains { $0.hasPrefix("reusing") })
  #expect(first.vqa == second.vqa && first.detected == second.detected)
  let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
  #expect(names == ["world-smoke-7-v\(WorldVersion.standard.rawValue)"])
}
