import Foundation
import Hashing
import Primitives

/// A TensorBoard event file: TFRecord framing (length, masked CRC-32C of the length, data, masked CRC-32C of
/// the data) around serialized `Event`s, written whole to a temporary file and renamed into place, so a
/// reader (or a re-export) never sees half a run.
public struct EventFile: Sendable {
  public private(set) var events: [TensorBoardEvent] = []

  public init(wallTime: Double) { events.append(.fileVersion(wallTime: wallTime)) }

  public mutating func append(_ event: TensorBoardEvent) { events.append(event) }

  /// The framed bytes of every event, in order.
  public var bytes: [UInt8] {
    var out: [UInt8] = []
    for event in events {
      let data = event.bytes
      var length = UInt64(data.count).littleEndian
      let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
      out += lengthBytes
      out += Self.littleEndian(CRC32C.masked(lengthBytes))
      out += data
      out += Self.littleEndian(CRC32C.masked(data))
    }
    return out
  }

  /// Writes the file as `folder/name` (temp file, fsync, rename), creating `folder` as needed.
  public func write(to folder: URL, name: String) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try AtomicFile.write(bytes, to: folder.appendingPathComponent(name).path)
  }

  private static func littleEndian(_ value: UInt32) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
