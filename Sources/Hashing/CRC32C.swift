/// CRC-32C (Castagnoli), the checksum TFRecord framing puts around each record, and its masked form.
///
/// A checksum of the file format, not an identity: identities and content hashes stay on `SHA256`.
public enum CRC32C {
  /// Reflected polynomial 0x82F63B78, one byte at a time from a 256-entry table.
  private static let table: [UInt32] = (0..<256).map { byte in
    var crc = UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    return crc
  }

  public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

  /// TensorFlow's mask (rotate right by 15, add a constant), so a CRC of bytes holding CRCs stays strong.
  public static func masked<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    let crc = checksum(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}
