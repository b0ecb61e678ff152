import Foundation
import Primitives
import TestSupport
import Testing

@testable import World

@Test func npyRoundTripsAndHasAnAlignedHeader() throws {
  let arrays = [
    NPYArray(shape: [2, 3], floats: [1, -2.5, 3, 0, .pi, 1e-8]),
    NPYArray(shape: [4], ints: [0, 5, -7, Int32.max]),
    NPYArray(shape: [2, 3, 2], bytes: Array(0..<12)),
  ]
  for a in arrays {
    let data = a.encoded()
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    #expect((10 + headerLength) % 64 == 0)
    #expect(data[10 + headerLength - 1] == 0x0A)
    #expect(try NPYArray(data: data, file: "x.npy") == a)
  }
}

@Test func npyRejectsBadInputWithItsName() {
  let error = #expect(throws: WorldError.self) { try NPYArray(data: Data([1, 2, 3]), file: "broken.npy") }
  #expect(error?.description.hasPrefix("broken.npy:1:1: not a .npy file") == true)
  var truncated = NPYArray(shape: [3], floats: [1, 2, 3]).encoded()
  truncated.removeLast(4)
  #expect(throws: WorldError.self) { try NPYArray(data: truncated, file: "short.npy") }
}

@Test func numpyReadsOurFilesWhenAvailable() throws {
  let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  guard let python else { return }  // no python3 on this machine: nothing to compare with
  let dir = try TemporaryDirectory()
  let url = dir.url.appendingPathComponent("a.npy")
  try NPYArray(shape: [2, 2], floats: [1, 2, 3, 4.5]).encoded().write(to: url)
  let p = Process()
  p.executableURL = URL(fileURLWithPath: python)
  p.arguments = [
    "-c",
    "import sys\ntry:\n import numpy\nexcept ImportError:\n print('skip'); sys.exit(0)\na=numpy.load(sys.argv[1]); print(a.dtype, a.shape, a.sum())",
    url.path,
  ]
  let out = Pipe()
  p.standardOutput = out
  try p.run()
  p.waitUntilExit()
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  if text.hasPrefix("skip") { return }
  #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "float32 (2, 2) 10.5")
}

@Test func pngChecksumsAreStandard() {
  #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
  #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
  let png = PNG.encode(Image(width: 2, height: 1, pixels: [255, 0, 0, 0, 0, 255]))
  #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
}
