import Foundation

/// A minimal PNG encoder (8-bit RGB, zlib stored blocks, CRC-32 and Adler-32), enough for
/// `world show` without a dependency.
enum PNG {
  static let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }

  static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1
    var b: UInt32 = 0
    for x in bytes {
      a = (a + UInt32(x)) % 65521
      b = (b + a) % 65521
    }
    return b << 16 | a
  }

  static func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
  }

  static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + body
    return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
  }

  /// PNG bytes of an 8-bit RGB image.
  static func encode(_ image: Image) -> Data {
    var raw: [UInt8] = []
    raw.reserveCapacity((image.width * 3 + 1) * image.height)
    for y in 0..<image.height {
      raw.append(0)  // filter: none
      raw += image.pixels[(y * image.width * 3)..<((y + 1) * image.width * 3)]
    }
    var z: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
      let n = min(65535, raw.count - offset)
      let last: UInt8 = offset + n == raw.count ? 1 : 0
      z += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
      z += raw[offset..<(offset + n)]
      offset += n
    } while offset < raw.count
    z += bigEndian(adler32(raw))
    var ihdr = bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height))
    ihdr += [8, 2, 0, 0, 0]
    let bytes =
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", z)
      + chunk("IEND", [])
    return Data(bytes)
  }
}
