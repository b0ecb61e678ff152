import Foundation
import NN
import Primitives

/// The on-disk format (documented in docs/world.md): JSON lines for annotations, `.npy` for
/// arrays, BERT's `vocab.txt`. Exports are byte-identical for the same world, and are written into
/// a temporary directory that is renamed into place, so a reader never sees half a world.
extension WorldData {
  public static let formatVersion = 1

  /// What `world.json` holds.
  public struct Manifest: Codable, Sendable, Equatable {
    public var format: Int
    public var name: String
    public var worldVersion: Int
    public var patchSide: Int
    public var featureWidth: Int
    public var classes: [String]
    public var detector: DetectorReport?
    /// Absent for a 1x world (so its manifest is the same as before multiples existed).
    public var finetuneMultiple: Int?
  }

  static func jsonLines<T: Encodable>(_ rows: [T]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var data = Data()
    for row in rows {
      data.append(try encoder.encode(row))
      data.append(0x0A)
    }
    return data
  }

  static func write(_ data: Data, to url: URL) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw WorldError(file: url.path, line: 0, message: "cannot create file")
    }
    let handle = try FileHandle(forWritingTo: url)
    try handle.write(contentsOf: data)
    try handle.synchronize()
    try handle.close()
  }

  static func regionFiles(_ set: RegionSet) -> [(String, NPYArray)] {
    let n = set.count
    return [
      ("offsets.npy", NPYArray(shape: [set.offsets.count], ints: set.offsets.map { Int32($0) })),
      ("boxes.npy", NPYArray(shape: [n, 4], floats: set.boxes)),
      ("patches.npy", NPYArray(shape: [n, 3, Patch.side, Patch.side], bytes: set.patches)),
      ("features.npy", NPYArray(shape: [n, Detector.featureWidth], floats: set.features)),
      ("scores.npy", NPYArray(shape: [n, Detector.classes], floats: set.scores)),
    ]
  }

  static let regionDirectories = ["detected", "ground_truth", "whole"]

  /// Writes the world into `directory`, which must not exist yet (or be empty).
  public func export(to directory: URL) throws {
    let fm = FileManager.default
    if let contents = try? fm.contentsOfDirectory(atPath: directory.path), !contents.isEmpty {
      throw WorldError(
        file: directory.path, line: 0, message: "directory is not empty",
        hint: "export into a new directory, or remove this one first")
    }
    let parent = directory.deletingLastPathComponent()
    try fm.createDirectory(at: parent, withIntermediateDirectories: true)
    let temp = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString)")
    try fm.createDirectory(at: temp, withIntermediateDirectories: true)
    do {
      try writeContents(into: temp)
      if fm.fileExists(atPath: directory.path) { try fm.removeItem(at: directory) }
      try fm.moveItem(at: temp, to: directory)
    } catch {
      try? fm.removeItem(at: temp)
      throw error
    }
  }

  func writeContents(into dir: URL) throws {
    let fm = FileManager.default
    let manifest = Manifest(
      format: WorldData.formatVersion, name: name, worldVersion: version.rawValue, patchSide: Patch.side,
      featureWidth: Detector.featureWidth, classes: Category.allCases.map(\.word) + ["background"],
      detector: detectorReport, finetuneMultiple: finetuneMultiple == 1 ? nil : finetuneMultiple)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try WorldData.write(
      try encoder.encode(manifest) + Data("\n".utf8), to: dir.appendingPathComponent("world.json"))
    try WorldData.write(Data(vocabulary.fileText.utf8), to: dir.appendingPathComponent("vocab.txt"))
    try WorldData.write(
      Data(answers.map { $0 + "\n" }.joined().utf8), to: dir.appendingPathComponent("answers.txt"))
    try WorldData.write(try WorldData.jsonLines(images), to: dir.appendingPathComponent("images.jsonl"))
    try WorldData.write(try WorldData.jsonLines(captions), to: dir.appendingPathComponent("captions.jsonl"))
    try WorldData.write(try WorldData.jsonLines(text), to: dir.appendingPathComponent("text.jsonl"))
    try WorldData.write(try WorldData.jsonLines(vqa), to: dir.appendingPathComponent("vqa.jsonl"))
    try WorldData.write(try WorldData.jsonLines(vcr), to: dir.appendingPathComponent("vcr.jsonl"))
    try WorldData.write(try WorldData.jsonLines(refcoco), to: dir.appendingPathComponent("refcoco.jsonl"))
    for (sub, set) in zip(WorldData.regionDirectories, [detected, groundTruth, whole]) {
      let d = dir.appendingPathComponent("regions/\(sub)")
      try fm.createDirectory(at: d, withIntermediateDirectories: true)
      for (file, array) in WorldData.regionFiles(set) {
        try WorldData.write(array.encoded(), to: d.appendingPathComponent(file))
      }
    }
    if let detector {
      // The weights twice: .npy per parameter (documented format), and one safetensors file
      // whose names match the engine's modules, for the trainer to load its extractor from.
      let d = dir.appendingPathComponent("detector")
      try fm.createDirectory(at: d, withIntermediateDirectories: true)
      let named = detector.network.namedParameters()
      for (name, t) in named {
        try WorldData.write(
          NPYArray(shape: t.shape, floats: t.scalars).encoded(), to: d.appendingPathComponent("\(name).npy"))
      }
      try WorldData.write(
        Data(SafeTensors.encode(named, metadata: ["world": name, "input": "3x16x16 patch, value/255-0.5"])),
        to: d.appendingPathComponent("detector.safetensors"))
    }
  }
}
