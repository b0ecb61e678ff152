import Foundation
import Primitives
import Report

/// The frame of every dashboard page: the report's stylesheet plus the dashboard's own rules, a skip link
/// and a navigation bar (keyboard shortcuts in /assets/dashboard.js), no asset from the network.
enum Layout {
  static func page(title: String, body: String, live: String? = nil) -> String {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(title.xmlEscaped) · ablate</title>
    <link rel="stylesheet" href="/assets/dashboard.css">
    <script src="/assets/dashboard.js" defer></script>
    </head>
    <body\(live.map { " data-live=\"\($0.xmlEscaped)\"" } ?? "")>
    <a class="skip" href="#main">Skip to content</a>
    <nav aria-label="site"><a href="/" accesskey="h"><strong>ablate</strong> dashboard</a>
    <span class="keys">keys: <kbd>h</kbd> home · <kbd>j</kbd>/<kbd>k</kbd> rows · <kbd>Enter</kbd> open · <kbd>/</kbd> filter</span></nav>
    <main id="main">
    \(body)
    </main>
    </body>
    </html>

    """
  }

  static func duration(_ seconds: Double?) -> String {
    guard let s = seconds else { return "–" }
    if s < 60 { return String(format: "%.1f s", s) }
    if s < 3600 { return String(format: "%.1f min", s / 60) }
    return String(format: "%.2f h", s / 3600)
  }

  static func metric(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return String(format: "%.4g", value)
  }

  static func time(_ unix: Double?) -> String {
    guard let unix else { return "–" }
    return Date(timeIntervalSince1970: unix).ISO8601Format()
  }

  /// A state as a labelled badge (colour is never the only cue: the word is there).
  static func badge(_ status: String) -> String {
    "<span class=\"state s-\(status)\">\(status)</span>"
  }

  /// "/path?k=v&..." with each value percent-encoded.
  static func link(_ path: String, _ query: [(String, String)] = []) -> String {
    guard !query.isEmpty else { return path }
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    return path + "?"
      + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
      .joined(separator: "&")
  }

  /// A path component, percent-encoded.
  static func component(_ text: String) -> String {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}
