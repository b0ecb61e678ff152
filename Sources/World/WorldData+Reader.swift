import Foundation
import NN
import Primitives

/// Reads a directory in the export format: the synthetic world's own cache, or a user's real
/// annotations and pre-extracted region features. Every problem is reported as file:line:col.
extension WorldData {
  public init(contentsOf dir: URL) throws {
    let fm = FileManager.default
    func url(_ name: String) -> URL { dir.appendingPathComponent(name) }
    func require(_ name: String) throws -> URL {
      let u = url(name)
      guard fm.fileExists(atPath: u.path) else {
        throw WorldError(
          file: u.path, line: 0, message: "missing file", hint: "see docs/world.md for the directory layout")
      }
      return u
    }
    let manifestURL = try require("world.json")
    let manifest: Manifest
    do { manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL)) } catch {
      throw WorldError(
        file: manifestURL.path, line: 1, message: "invalid manifest: \(WorldData.describe(error))")
    }
    guard manifest.format == WorldData.formatVersion else {
      throw WorldError(
        file: manifestURL.path, line: 1, message: "format \(manifest.format) is not supported",
        hint: "this build reads format \(WorldData.formatVersion)")
    }
    guard manifest.patchSide == Patch.side, manifest.featureWidth == Detector.featureWidth else {
      throw WorldError(
        file: manifestURL.path, line: 1,
        message:
          "patchSide \(manifest.patchSide) / featureWidth \(manifest.featureWidth) differ from this build's",
        hint: "expected patchSide \(Patch.side) and featureWidth \(Detector.featureWidth)")
    }
    name = manifest.name
    guard let v = WorldVersion(rawValue: manifest.worldVersion) else {
      throw WorldError(
        file: manifestURL.path, line: 1, message: "world version \(manifest.worldVersion) is unknown",
        hint:
          "this build knows versions \(WorldVersion.allCases.map { String($0.rawValue) }.joined(separator: ", "))"
      )
    }
    version = v
    detectorReport = manifest.detector
    finetuneMultiple = manifest.finetuneMultiple ?? 1
    vocabulary = try Vocabulary(contentsOf: try require("vocab.txt"))
    answers = try String(contentsOf: try require("answers.txt"), encoding: .utf8).split(separator: "\n").map(
      String.init)
    images = try WorldData.readLines(try require("images.jsonl"))
    captions = try WorldData.readLines(try require("captions.jsonl"))
    text = try WorldData.readLines(try require("text.jsonl"))
    vqa = try WorldData.readLines(try require("vqa.jsonl"))
    vcr = try WorldData.readLines(try require("vcr.jsonl"))
    refcoco = try WorldData.readLines(try require("refcoco.jsonl"))
    let sets = try WorldData.regionDirectories.map {
      try WorldData.readRegions(dir.appendingPathComponent("regions/\($0)"))
    }
    detected = sets[0]
    groundTruth = sets[1]
    whole = sets[2]
    for (sub, set) in zip(WorldData.regionDirectories, sets) where set.imageCount != images.count {
      throw WorldError(
        file: url("regions/\(sub)/offsets.npy").path, line: 1,
        message: "offsets cover \(set.imageCount) images, images.jsonl has \(images.count)")
    }
    if fm.fileExists(atPath: url("detector/fc1.weight.npy").path) {
      let network = DetectorNetwork(
        generator: RandomGenerator(seed: 0),
        attributes: fm.fileExists(atPath: url("detector/attributes.colour.weight.npy").path))
      var tensors: [String: Tensor] = [:]
      for (name, p) in network.namedParameters() {
        let file = "detector/\(name).npy"
        let a = try NPYArray(contentsOf: try require(file))
        guard let values = a.floats, a.shape == p.shape else {
          throw WorldError(
            file: url(file).path, line: 1,
            message: "expected <f4 of shape \(p.shape), found \(a.descr) \(a.shape)")
        }
        tensors[name] = Tensor(values, shape: a.shape)
      }
      try network.loadParameters(tensors)
      detector = Detector(network: network)
    } else {
      detector = nil
    }
    try validate(directory: dir)
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): "missing key '\(key.stringValue)'"
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c),
      DecodingError.dataCorrupted(let c):
      (c.codingPath.map(\.stringValue).joined(separator: ".").isEmpty
        ? "" : "at '\(c.codingPath.map(\.stringValue).joined(separator: "."))': ")
        + c.debugDescription
    default: "\(error)"
    }
  }

  static func readLines<T: Decodable>(_ url: URL) throws -> [T] {
    let data = try Data(contentsOf: url)
    let decoder = JSONDecoder()
    var out: [T] = []
    var line = 0
    for piece in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
      line += 1
      if piece.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
      do { out.append(try decoder.decode(T.self, from: Data(piece))) } catch {
        throw WorldError(
          file: url.path, line: line, message: "\(T.self): \(describe(error))",
          hint: "each line is one JSON object; see docs/world.md")
      }
    }
    return out
  }

  static func readRegions(_ dir: URL) throws -> RegionSet {
    func array(_ name: String) throws -> NPYArray {
      let u = dir.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: u.path) else {
        throw WorldError(
          file: u.path, line: 0, message: "missing file", hint: "see docs/world.md for the region arrays")
      }
      return try NPYArray(contentsOf: u)
    }
    func fail(_ name: String, _ message: String) -> WorldError {
      WorldError(file: dir.appendingPathComponent(name).path, line: 1, message: message)
    }
    var set = RegionSet()
    guard let offsets = try array("offsets.npy").ints, offsets.first == 0 else {
      throw fail("offsets.npy", "offsets must be <i4 starting at 0")
    }
    set.offsets = offsets.map(Int.init)
    guard zip(set.offsets, set.offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
      throw fail("offsets.npy", "offsets must not decrease")
    }
    let n = set.count
    func check(_ name: String, _ a: NPYArray, _ shape: [Int]) throws {
      guard a.shape == shape else { throw fail(name, "shape \(a.shape), expected \(shape)") }
    }
    let boxes = try array("boxes.npy")
    try check("boxes.npy", boxes, [n, 4])
    guard let b = boxes.floats else { throw fail("boxes.npy", "boxes must be <f4") }
    set.boxes = b
    let features = try array("features.npy")
    try check("features.npy", features, [n, Detector.featureWidth])
    guard let f = features.floats else { throw fail("features.npy", "features must be <f4") }
    set.features = f
    let scores = try array("scores.npy")
    guard scores.shape.count == 2, scores.shape[0] == n, let s = scores.floats else {
      throw fail("scores.npy", "scores must be <f4 of shape [\(n), classes]")
    }
    set.scores = s
    // Patches are optional for pre-extracted real features (then the extractor cannot be tuned).
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("patches.npy").path) {
      let patches = try array("patches.npy")
      try check("patches.npy", patches, [n, 3, Patch.side, Patch.side])
      guard let p = patches.bytes else { throw fail("patches.npy", "patches must be |u1") }
      set.patches = p
    }
    return set
  }

  /// Cross-references: every annotation's image exists and every index is in range.
  func validate(directory dir: URL) throws {
    func check(_ file: String, _ line: Int, _ ok: Bool, _ message: String) throws {
      if !ok { throw WorldError(file: dir.appendingPathComponent(file).path, line: line, message: message) }
    }
    for (i, image) in images.enumerated() {
      try check(
        "images.jsonl", i + 1, image.id == i,
        "image id \(image.id) on line \(i + 1); ids must be 0, 1, 2, ... in order")
    }
    let n = images.count
    for (i, c) in captions.enumerated() {
      try check("captions.jsonl", i + 1, (0..<n).contains(c.image), "unknown image \(c.image)")
    }
    for (i, q) in vqa.enumerated() {
      try check("vqa.jsonl", i + 1, (0..<n).contains(q.image), "unknown image \(q.image)")
      try check("vqa.jsonl", i + 1, q.answers.count == 10, "expected 10 answers, found \(q.answers.count)")
    }
    for (i, q) in vcr.enumerated() {
      try check("vcr.jsonl", i + 1, (0..<n).contains(q.image), "unknown image \(q.image)")
      try check(
        "vcr.jsonl", i + 1, q.answers.count == 4 && q.rationales.count == 4,
        "expected 4 answers and 4 rationales")
      try check(
        "vcr.jsonl", i + 1, (0..<4).contains(q.answerLabel) && (0..<4).contains(q.rationaleLabel),
        "label out of 0...3")
    }
    for (i, r) in refcoco.enumerated() {
      try check("refcoco.jsonl", i + 1, (0..<n).contains(r.image), "unknown image \(r.image)")
      try check(
        "refcoco.jsonl", i + 1, r.target >= 0 && r.target < groundTruth.rows(of: r.image).count,
        "target \(r.target) is not a ground-truth region of image \(r.image)")
      try check("refcoco.jsonl", i + 1, r.box.count == 4, "box must have 4 numbers")
    }
  }
}
