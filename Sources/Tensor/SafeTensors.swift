import Foundation
import Primitives

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping names to
/// `{"dtype", "shape", "data_offsets"}` (plus optional string `__metadata__`), then raw
/// little-endian data. Readable by Python's `safetensors` and by numpy.
public enum SafeTensors {
  /// A file that is not valid safetensors, or holds what this engine cannot load.
  public struct FormatError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
  }

  /// The header bytes (length prefix included) for `tensors`, data laid out in the given order.
  public static func header(_ tensors: [(String, Tensor)], metadata: [String: String]) -> [UInt8] {
    var parts: [String] = []
    if !metadata.isEmpty {
      let items = metadata.keys.sorted().map { "\(quote($0)):\(quote(metadata[$0]!))" }
      parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
    }
    var offset = 0
    for (name, t) in tensors {
      let end = offset + t.count * 4
      let shape = t.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(quote(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    var json = Array("{\(parts.joined(separator: ","))}".utf8)
    while (json.count + 8) % 8 != 0 { json.append(0x20) }  // pad so the data is 8-byte aligned
    var n = UInt64(json.count).littleEndian
    return withUnsafeBytes(of: &n) { Array($0) } + json
  }

  /// The whole file's bytes.
  public static func encode(_ tensors: [(String, Tensor)], metadata: [String: String] = [:]) -> [UInt8] {
    var bytes = header(tensors, metadata: metadata)
    bytes.reserveCapacity(bytes.count + tensors.reduce(0) { $0 + $1.1.count * 4 })
    for (_, t) in tensors {
      t.withUnsafeBufferPointer { buf in
        for x in buf {
          let b = x.bitPattern.littleEndian
          withUnsafeBytes(of: b) { bytes.append(contentsOf: $0) }
        }
      }
    }
    return bytes
  }

  /// Writes atomically: a temp file in the same directory, fsync, rename, fsync of the directory.
  public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to url: URL)
    throws
  {
    try AtomicFile.write(encode(tensors, metadata: metadata), to: url.path)
  }

  /// Reads every tensor (F32 only) and the metadata.
  public static func read(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
    let path = url.path
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw FormatError(path: path, message: "cannot read: \(error.localizedDescription)")
    }
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else {
      throw FormatError(path: path, message: "shorter than the 8-byte header length")
    }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard n <= UInt64(bytes.count - 8) else {
      throw FormatError(path: path, message: "header length \(n) exceeds the file size \(bytes.count)")
    }
    let headerEnd = 8 + Int(n)
    guard let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any]
    else {
      throw FormatError(path: path, message: "header is not a JSON object")
    }
    var metadata: [String: String] = [:]
    var tensors: [String: Tensor] = [:]
    for (name, value) in json {
      if name == "__metadata__" {
        guard let m = value as? [String: String] else {
          throw FormatError(path: path, message: "__metadata__ must map strings to strings")
        }
        metadata = m
        continue
      }
      guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
        let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
        offsets.count == 2
      else { throw FormatError(path: path, message: "tensor '\(name)' lacks dtype, shape or data_offsets") }
      guard dtype == "F32" else {
        throw FormatError(path: path, message: "tensor '\(name)' has dtype \(dtype); only F32 is supported")
      }
      let count = shape.reduce(1, *)
      let (lo, hi) = (headerEnd + offsets[0], headerEnd + offsets[1])
      guard offsets[0] >= 0, hi - lo == count * 4, hi <= bytes.count else {
        throw FormatError(
          path: path, message: "tensor '\(name)' data_offsets \(offsets) do not fit shape \(shape)")
      }
      let t = Tensor(zeros: shape)
      bytes.withUnsafeBufferPointer { buf in
        let base = UnsafeRawPointer(buf.baseAddress! + lo)
        for i in 0..<count {
          t.pointer[i] = Float(
            bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      }
      tensors[name] = t
    }
    return (tensors, metadata)
  }

  private static func quote(_ s: String) -> String { JSONString.quoted(s) }
}
