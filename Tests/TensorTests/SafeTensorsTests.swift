import Foundation
import TestSupport
import Testing

@testable import Tensor

@Test func safeTensorsFileIsByteExact() throws {
  let dir = try TemporaryDirectory()
  let a = Tensor([1, -2.5, 3, 0.25], shape: [2, 2])
  let b = Tensor([7], shape: [1])
  let url = dir.url.appendingPathComponent("x.safetensors")
  try SafeTensors.write([("a", a), ("b", b)], metadata: ["step": "3"], to: url)
  let bytes = [UInt8](try Data(contentsOf: url))
  var n = 0
  for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
  let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
  let expected =
    #"{"__metadata__":{"step":"3"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
    + #""b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}"#
  #expect(header.trimmingCharacters(in: .whitespaces) == expected)
  #expect((8 + n) % 8 == 0)
  #expect(bytes.count == 8 + n + 20)
  // Raw little-endian IEEE-754 floats: 1.0 = 0x3F800000, -2.5 = 0xC0200000.
  #expect(Array(bytes[(8 + n)..<(8 + n + 8)]) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0])
  let (tensors, metadata) = try SafeTensors.read(url)
  #expect(metadata == ["step": "3"])
  #expect(tensors["a"]!.shape == [2, 2] && tensors["a"]!.scalars == a.scalars)
  #expect(tensors["b"]!.scalars == [7])
}

@Test func truncatedSafeTensorsFileIsRejectedWithItsPath() throws {
  let dir = try TemporaryDirectory()
  let url = dir.url.appendingPathComponent("bad.safetensors")
  var bytes = SafeTensors.encode([("a", Tensor([1, 2], shape: [2]))])
  bytes.removeLast(3)
  try Data(bytes).write(to: url)
  #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.read(url) }
  do { _ = try SafeTensors.read(url) } catch let e as SafeTensors.FormatError {
    #expect(e.description.hasPrefix(url.path))
  }
}
