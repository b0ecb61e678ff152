import Foundation

/// A NumPy `.npy` array: little-endian `<f4`, `<i4` or `|u1`, C order. Written as format 1.0 by hand, so the
/// same array is the same bytes and numpy reads it; read back from format 1.0 to 3.0.
public struct NPYArray: Sendable, Equatable {
  public enum Storage: Sendable, Equatable {
    case float32([Float])
    case int32([Int32])
    case uint8([UInt8])
  }

  public var shape: [Int]
  public var storage: Storage

  public init(shape: [Int], floats: [Float]) {
    precondition(shape.reduce(1, *) == floats.count)
    self.shape = shape
    storage = .float32(floats)
  }
  public init(shape: [Int], ints: [Int32]) {
    precondition(shape.reduce(1, *) == ints.count)
    self.shape = shape
    storage = .int32(ints)
  }
  public init(shape: [Int], bytes: [UInt8]) {
    precondition(shape.reduce(1, *) == bytes.count)
    self.shape = shape
    storage = .uint8(bytes)
  }

  /// The dtype as numpy spells it.
  public var descr: String {
    switch storage {
    case .float32: "<f4"
    case .int32: "<i4"
    case .uint8: "|u1"
    }
  }

  public var floats: [Float]? { if case .float32(let v) = storage { v } else { nil } }
  public var ints: [Int32]? { if case .int32(let v) = storage { v } else { nil } }
  public var bytes: [UInt8]? { if case .uint8(let v) = storage { v } else { nil } }

  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// The file's bytes: magic, version 1.0, header length, the header dict padded with spaces to a
  /// multiple of 64 bytes and ended by a newline, then the data.
  public func encoded() -> Data {
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data(Self.magic + [1, 0])
    let n = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8)])
    data.append(contentsOf: Array(header.utf8))
    switch storage {
    case .float32(let v): v.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
    case .int32(let v): v.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
    case .uint8(let v): data.append(contentsOf: v)
    }
    return data
  }

  /// Parses `.npy` bytes.
  public init(data: Data) throws(NPYError) {
    let bytes = [UInt8](data)
    guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else {
      throw NPYError("not a .npy file (bad magic)")
    }
    // Version 1.0 has a 2-byte header length; 2.0 and 3.0 (UTF-8 headers) a 4-byte one.
    let version = bytes[6]
    guard (1...3).contains(version) else { throw NPYError("unsupported .npy version \(version).\(bytes[7])") }
    let start = version == 1 ? 10 : 12
    guard bytes.count >= start else { throw NPYError("truncated header") }
    let headerLength = (8..<start).reversed().reduce(0) { $0 << 8 | Int(bytes[$1]) }
    guard bytes.count >= start + headerLength,
      let header = String(bytes: bytes[start..<(start + headerLength)], encoding: .utf8)
    else { throw NPYError("truncated header") }
    func field(_ key: String) -> String? {
      guard let r = header.range(of: "'\(key)':") else { return nil }
      return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    guard let d = field("descr"), let q1 = d.dropFirst().firstIndex(of: "'") else {
      throw NPYError("header has no descr")
    }
    let descr = String(d[d.index(after: d.startIndex)..<q1])
    guard let f = field("fortran_order"), f.hasPrefix("False") else {
      throw NPYError("only C-order arrays are supported")
    }
    guard let s = field("shape"), let open = s.firstIndex(of: "("), let close = s.firstIndex(of: ")") else {
      throw NPYError("header has no shape")
    }
    let dims = s[s.index(after: open)..<close].split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    .filter { !$0.isEmpty }
    var shape: [Int] = []
    for dim in dims {
      guard let n = Int(dim), n >= 0 else { throw NPYError("bad shape entry '\(dim)'") }
      shape.append(n)
    }
    let count = shape.reduce(1, *)
    let body = bytes[(start + headerLength)...]
    let width = descr == "|u1" || descr == "<u1" ? 1 : 4
    guard body.count == count * width else {
      throw NPYError("data holds \(body.count) bytes, shape \(shape) of \(descr) needs \(count * width)")
    }
    self.shape = shape
    switch descr {
    case "<f4":
      storage = .float32(
        body.withUnsafeBytes { raw in
          (0..<count).map {
            Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian)
          }
        })
    case "<i4":
      storage = .int32(
        body.withUnsafeBytes { raw in
          (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        })
    case "|u1", "<u1":
      storage = .uint8(Array(body))
    default:
      throw NPYError("unsupported dtype '\(descr)'")
    }
  }
}

/// Bytes that are not a `.npy` array this reader takes.
public struct NPYError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  /// What a readable file looks like.
  public static let hint = "expected a NumPy .npy file of <f4, <i4 or |u1"

  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
