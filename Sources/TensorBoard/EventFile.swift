import Foundation
import Hashing

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
    let target = folder.appendingPathComponent(name)
    let temp = folder.appendingPathComponent(".\(name).\(getpid()).tmp")
    guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
      throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temp.path])
    }
    do {
      let handle = try FileHandle(forWritingTo: temp)
      try handle.write(contentsOf: Data(bytes))
      try handle.synchronize()
      try handle.close()
      guard rename(temp.path, target.path) == 0 else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
      }
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw error
    }
  }

  private static func littleEndian(_ value: UInt32) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
