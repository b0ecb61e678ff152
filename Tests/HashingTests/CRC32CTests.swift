import Hashing
import Testing

@Suite struct CRC32CTests {
  /// RFC 3720's check value and iSCSI test patterns; the mask is TensorFlow's (crc32c.h).
  @Test func knownChecksums() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum([]) == 0)
    let crc = CRC32C.checksum(Array("123456789".utf8))
    #expect(CRC32C.masked(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
  }
}
