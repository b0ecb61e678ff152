import Foundation

/// A raw HTTP/1.1 GET over a socket: the request line goes out exactly as written (no client-side
/// normalisation of `..` or percent-escapes), so tests can send the paths an attacker would.
struct HTTPProbe {
  struct Reply {
    var status: Int
    var headers: String
    var body: String
  }

  let port: Int

  func get(_ path: String, headers: [String: String] = [:]) throws -> Reply {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { request += "\(k): \(v)\r\n" }
    request += "\r\n"
    let bytes = Array(request.utf8)
    guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
      throw POSIXError(.EIO)
    }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      data.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
    let head = String(text[..<split.lowerBound])
    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    var body = String(text[split.upperBound...])
    if head.lowercased().contains("transfer-encoding: chunked") { body = Self.dechunk(body) }
    return Reply(status: status, headers: head, body: body)
  }

  /// Joins a chunked body's chunks.
  static func dechunk(_ text: String) -> String {
    var rest = Substring(text), out = ""
    while let line = rest.range(of: "\r\n"), let size = Int(rest[..<line.lowerBound], radix: 16), size > 0 {
      let start = line.upperBound
      let utf8 = rest.utf8
      let end = utf8.index(start, offsetBy: size)
      out += String(rest[start..<end])
      rest = rest[end...].dropFirst(2)
    }
    return out
  }
}
