import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `ablate serve`: the dashboard over HTTP on Hummingbird. Binds to loopback unless told otherwise; off
/// loopback a token is required and every request must carry it.
public struct DashboardServer: Sendable {
  public let dashboard: Dashboard
  public let host: String
  public let port: Int
  public let token: String?

  public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
  }

  public init(dashboard: Dashboard, host: String, port: Int, token: String?) throws {
    if !Self.isLoopback(host), token?.isEmpty ?? true {
      throw ConfigurationError(
        description:
          "--host \(host) is not loopback: the dashboard would be open to the network (hint: pass --token T or set ABLATE_SERVE_TOKEN)"
      )
    }
    self.dashboard = dashboard
    self.host = host
    self.port = port
    self.token = token?.isEmpty == true ? nil : token
  }

  /// 127.0.0.0/8, ::1 and "localhost".
  public static func isLoopback(_ host: String) -> Bool {
    if host == "localhost" || host == "::1" || host == "[::1]" { return true }
    let parts = host.split(separator: ".")
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
  }

  /// Serves until the task is cancelled or the process gets SIGINT/SIGTERM; `onRunning` gets the bound port.
  public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: TokenMiddleware(token: token))
    let dashboard = self.dashboard
    let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
      let page: Page
      do {
        page = try dashboard.respond(path: request.uri.path, query: Self.query(request.uri.query))
      } catch let error as DashboardError {
        page = dashboard.errorPage(error)
      }
      return Self.response(page)
    }
    router.get("/", use: handler)
    router.get("**", use: handler)
    var logger = Logger(label: "ablate.serve")
    logger.logLevel = .warning
    let app = Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: "ablate"),
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
      logger: logger)
    try await app.runService()
  }

  static func response(_ page: Page) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = page.contentType
    headers[.cacheControl] = "no-store"
    // Nothing on a page comes from elsewhere, and an artifact is never run as a page of this origin.
    headers[.contentSecurityPolicy] =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
    return Response(
      status: .init(code: page.status), headers: headers,
      body: .init(byteBuffer: ByteBuffer(bytes: page.body)))
  }

  /// `a=1&b=x+y%2F` -> ["a": "1", "b": "x y/"]; a key given twice keeps its last value.
  static func query(_ raw: String?) -> [String: String] {
    guard let raw, !raw.isEmpty else { return [:] }
    var out: [String: String] = [:]
    for pair in raw.split(separator: "&") {
      let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let decode = { (s: Substring) in
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
      }
      out[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
    }
    return out
  }
}

/// Refuses (401) any request without the token, given as `Authorization: Bearer T`, `?token=T` (which also
/// sets a cookie, so a browser's later links carry it) or the `ablate_token` cookie.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: String?

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    guard let token else { return try await next(request, context) }
    let fromQuery = DashboardServer.query(request.uri.query)["token"]
    let bearer = request.headers[.authorization].flatMap {
      $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil
    }
    let cookie = request.headers[.cookie].flatMap { header in
      header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.hasPrefix("ablate_token=") }.map { String($0.dropFirst("ablate_token=".count)) }
    }
    guard [fromQuery, bearer, cookie].contains(where: { $0.map { Self.same($0, token) } ?? false }) else {
      var headers = HTTPFields()
      headers[.contentType] = "text/plain; charset=utf-8"
      headers[.wwwAuthenticate] = "Bearer realm=\"ablate\""
      return Response(
        status: .unauthorized, headers: headers,
        body: .init(
          byteBuffer: ByteBuffer(
            string: "401: this dashboard needs its token (?token=T or Authorization: Bearer T)\n")))
    }
    var response = try await next(request, context)
    if fromQuery != nil {
      response.headers[.setCookie] = "ablate_token=\(token); Path=/; HttpOnly; SameSite=Strict"
    }
    return response
  }

  /// Compares in time independent of where the strings differ.
  static func same(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<min(x.count, y.count) { diff |= x[i] ^ y[i] }
    return diff == 0
  }
}
