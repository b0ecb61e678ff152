import CCrypto
import Foundation

/// SHA-256 over the system's libcrypto: identities, config hashes, diff and artifact hashes all
/// go through this one type. Streaming, so a file of any size hashes in constant memory.
public struct SHA256: Sendable {
  private var context = SHA256_CTX()

  public init() { SHA256_Init(&context) }

  public mutating func update(_ buffer: UnsafeRawBufferPointer) {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
    SHA256_Update(&context, base, buffer.count)
  }

  public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }
  public mutating func update(_ data: Data) { data.withUnsafeBytes { update($0) } }
  public mutating func update(_ text: String) { update(Array(text.utf8)) }

  /// The digest as 64 lower-case hex characters.
  public consuming func finalizeHex() -> String {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    SHA256_Final(&digest, &context)
    return hexString(digest)
  }

  /// Lower-case hex SHA-256 of bytes, a string's UTF-8 or data.
  public static func hex(_ bytes: [UInt8]) -> String {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalizeHex()
  }
  public static func hex(_ text: String) -> String { hex(Array(text.utf8)) }
  public static func hex(_ data: Data) -> String {
    var hasher = SHA256()
    hasher.update(data)
    return hasher.finalizeHex()
  }

  /// The SHA-256 of a file's content, read in 1 MiB chunks (constant memory for any size).
  public static func hex(fileAt url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
    return hasher.finalizeHex()
  }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lower-case hex of bytes.
public func hexString(_ bytes: [UInt8]) -> String {
  var out: [UInt8] = []
  out.reserveCapacity(bytes.count * 2)
  for byte in bytes {
    out.append(hexDigits[Int(byte >> 4)])
    out.append(hexDigits[Int(byte & 0x0F)])
  }
  return String(decoding: out, as: UTF8.self)
}
