import Foundation

/// A NumPy `.npy` array (format version 1.0): little-endian `<f4`, `<i4` or `|u1`, C order.
/// Written by hand so exports are byte-identical for the same world and readable by numpy.
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

  var descr: String {
    switch storage {
    case .float32: "<f4"
    case .int32: "<i4"
    case .uint8: "|u1"
    }
  }

  public var floats: [Float]? { if case .float32(let v) = storage { v } else { nil } }
  public var ints: [Int32]? { if case .int32(let v) = storage { v } else { nil } }
  public var bytes: [UInt8]? { if case .uint8(let v) = storage { v } else { nil } }

  /// The file's bytes: magic, version 1.0, header length, the header dict padded with spaces to a
  /// multiple of 64 bytes and ended by a newline, then the data.
  public func encoded() -> Data {
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
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

  /// Parses `.npy` bytes; `file` names the source in errors.
  public init(data: Data, file: String) throws {
    func fail(_ message: String) -> WorldError {
      WorldError(
        file: file, line: 1, message: message, hint: "expected a NumPy .npy v1.0 file of <f4, <i4 or |u1")
    }
    let bytes = [UInt8](data)
    guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
      throw fail("not a .npy file (bad magic)")
    }
    guard bytes[6] == 1 else { throw fail("unsupported .npy version \(bytes[6]).\(bytes[7])") }
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    guard bytes.count >= 10 + headerLength,
      let header = String(bytes: bytes[10..<(10 + headerLength)], encoding: .ascii)
    else { throw fail("truncated header") }
    func field(_ key: String) -> String? {
      guard let r = header.range(of: "'\(key)':") else { return nil }
      return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    guard let d = field("descr"), let q1 = d.dropFirst().firstIndex(of: "'") else {
      throw fail("header has no descr")
    }
    let descr = String(d[d.index(after: d.startIndex)..<q1])
    guard let f = field("fortran_order"), f.hasPrefix("False") else {
      throw fail("only C-order arrays are supported")
    }
    guard let s = field("shape"), let open = s.firstIndex(of: "("), let close = s.firstIndex(of: ")") else {
      throw fail("header has no shape")
    }
    let dims = s[s.index(after: open)..<close].split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    .filter { !$0.isEmpty }
    var shape: [Int] = []
    for dim in dims {
      guard let n = Int(dim), n >= 0 else { throw fail("bad shape entry '\(dim)'") }
      shape.append(n)
    }
    let count = shape.reduce(1, *)
    let body = bytes[(10 + headerLength)...]
    let width = descr == "|u1" ? 1 : 4
    guard body.count == count * width else {
      throw fail("data holds \(body.count) bytes, shape \(shape) of \(descr) needs \(count * width)")
    }
    self.shape = shape
    switch descr {
    case "<f4":
      storage = .float32(
        body.withUnsafeBytes { raw in
          (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        })
    case "<i4":
      storage = .int32(
        body.withUnsafeBytes { raw in
          (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
        })
    case "|u1", "<u1":
      storage = .uint8(Array(body))
    default:
      throw fail("unsupported dtype '\(descr)'")
    }
  }

  public init(contentsOf url: URL) throws {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw WorldError(file: url.path, line: 0, message: "cannot read: \(error.localizedDescription)")
    }
    try self.init(data: data, file: url.path)
  }
}
