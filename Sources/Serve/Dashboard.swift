import Foundation
import Primitives
import Report
import Spec
import Store

/// The dashboard's pages, from a store opened read-only and the specs it was started with.
///
/// Every page is a function of the request's path and query: `respond` validates them (400 for a malformed
/// id or path, 404 for one that names nothing) and never touches a file outside the store's folder. The HTTP
/// server is a thin layer over this, so tests and the benchmark call it directly too.
public final class Dashboard: Sendable {
  let store: Store
  let specs: [ServedSpec]
  /// The store's folder (resolved): the only place artifacts are served from.
  let storeFolder: String
  let paper: PaperTables

  public init(store: Store, specs: [ServedSpec], paper: PaperTables) {
    self.store = store
    self.specs = specs
    self.paper = paper
    let folder = URL(fileURLWithPath: store.path).deletingLastPathComponent()
    storeFolder = folder.resolvingSymlinksInPath().standardizedFileURL.path
  }

  /// The page at `path` (percent-encoded, as the request line has it) with its decoded query parameters.
  public func respond(path: String, query: [String: String] = [:]) throws(DashboardError) -> Page {
    let parts = try Self.components(path)
    do {
      switch parts.count {
      case 0: return try index()
      default: break
      }
      switch (parts[0], parts.count) {
      case ("experiments", 2): return try experiment(parts[1], page: Self.integer(query["page"], default: 1))
      case ("experiments", 3) where parts[2] == "curves":
        return try experimentCurves(
          parts[1], metric: query["metric"], smoothing: try Self.smoothing(query["smoothing"]))
      case ("cells", 2):
        return try cell(Self.cellID(parts[1]), smoothing: try Self.smoothing(query["smoothing"]))
      case ("cells", 3) where parts[2] == "curve.svg":
        guard let metric = query["metric"] else {
          throw DashboardError.badRequest("curve.svg needs ?metric=NAME")
        }
        return try cellCurve(
          Self.cellID(parts[1]), metric: metric, smoothing: try Self.smoothing(query["smoothing"]))
      case ("cells", _) where parts.count >= 4 && parts[2] == "artifacts":
        return try artifact(Self.cellID(parts[1]), path: parts[3...].joined(separator: "/"))
      case ("reports", 2): return try report(parts[1], smoothing: try Self.smoothing(query["smoothing"]))
      case ("compare", 1): return try compare(query)
      case ("api", 2) where parts[1] == "experiments": return try experimentsJSON()
      case ("assets", 2): return try Assets.page(parts[1])
      default: throw DashboardError.notFound("no page at \(path)")
      }
    } catch let error as DashboardError {
      throw error
    } catch {
      throw DashboardError(status: 500, message: "\(error)")
    }
  }

  /// The page of an error, as HTML for people.
  public func errorPage(_ error: DashboardError) -> Page {
    let title = error.status == 404 ? "Not found" : error.status == 400 ? "Bad request" : "Error"
    return .html(
      Layout.page(
        title: title, body: "<h1>\(error.status) \(title)</h1>\n<p>\(error.message.xmlEscaped)</p>\n"),
      status: error.status)
  }

  // MARK: Validation

  /// Decoded path components; ".", "..", empty, NUL or "/" inside a component are refused.
  static func components(_ path: String) throws(DashboardError) -> [String] {
    let raw = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
    var parts: [String] = []
    for piece in raw.split(separator: "/", omittingEmptySubsequences: true) {
      guard let decoded = String(piece).removingPercentEncoding else {
        throw .badRequest("malformed percent-encoding in the path")
      }
      if decoded == "." || decoded == ".." || decoded.contains("/") || decoded.contains("\0")
        || decoded.contains("\\")
      {
        throw .badRequest("path component '\(decoded)' is not allowed")
      }
      parts.append(decoded)
    }
    return parts
  }

  /// A full cell id: 64 lower-case hex digits.
  static func cellID(_ text: String) throws(DashboardError) -> String {
    guard text.count == 64, text.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
      throw .badRequest("'\(text.prefix(80))' is not a cell id (64 hex digits)")
    }
    return text
  }

  static func integer(_ text: String?, default value: Int) throws(DashboardError) -> Int {
    guard let text else { return value }
    guard let n = Int(text), n >= 1, n <= 1_000_000 else {
      throw .badRequest("'\(text.prefix(40))' is not a page number")
    }
    return n
  }

  static func smoothing(_ text: String?) throws(DashboardError) -> Double {
    guard let text, !text.isEmpty else { return 0 }
    guard let w = Double(text), w >= 0, w < 1 else {
      throw .badRequest("smoothing '\(text.prefix(40))' must be a number in [0, 1)")
    }
    return w
  }

  /// The store's record of a cell, or 404.
  func record(_ id: String) throws -> CellRecord {
    guard let record = try store.cells(ids: [id])[id] else { throw DashboardError.notFound("no cell \(id)") }
    return record
  }

  /// The summary of a known experiment, or 404.
  func summary(_ name: String) throws -> ExperimentSummary {
    guard let found = try store.experimentSummaries().first(where: { $0.name == name }) else {
      throw DashboardError.notFound("no experiment named '\(name)' in the store")
    }
    return found
  }
}
