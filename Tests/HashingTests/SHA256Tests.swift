import Foundation
import Hashing
import TestSupport
import Testing

@Suite struct SHA256Tests {
  /// FIPS 180-2 test vectors.
  @Test func knownDigests() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func streamingEqualsOneShot() {
    let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    var hasher = SHA256()
    for chunk in stride(from: 0, to: bytes.count, by: 4099) {
      hasher.update(Array(bytes[chunk..<min(chunk + 4099, bytes.count)]))
    }
    #expect(hasher.finalizeHex() == SHA256.hex(bytes))
  }

  @Test func fileHashEqualsContentHash() throws {
    let dir = try TemporaryDirectory()
    let url = dir.url.appendingPathComponent("blob")
    let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 131) }
    try Data(bytes).write(to: url)
    #expect(try SHA256.hex(fileAt: url) == SHA256.hex(bytes))
  }
}
