/// What the dashboard answers a request with, before it is an HTTP response: the server turns it into one,
/// and tests read it directly.
public struct Page: Sendable, Equatable {
  public var status: Int
  public var contentType: String
  public var body: [UInt8]

  public init(status: Int = 200, contentType: String, body: [UInt8]) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }

  public static func html(_ text: String, status: Int = 200) -> Page {
    Page(status: status, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
  }

  public static func json(_ text: String) -> Page {
    Page(contentType: "application/json", body: Array(text.utf8))
  }

  public static func svg(_ text: String) -> Page {
    Page(contentType: "image/svg+xml", body: Array(text.utf8))
  }

  public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A request the dashboard refuses: a malformed id or path (400), or one that names nothing (404).
public struct DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
  public var status: Int
  public var message: String

  public static func badRequest(_ message: String) -> DashboardError { .init(status: 400, message: message) }
  public static func notFound(_ message: String) -> DashboardError { .init(status: 404, message: message) }

  public var description: String { "\(status): \(message)" }
}
