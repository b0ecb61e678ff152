import Foundation
import Testing

/// The dashboard in a real browser: headless Chromium (Debian's `chromium`) loads the pages of `ablate serve`
/// while `ablate run` fills the store.
@Suite struct ServeBrowserTests {
  /// The browser; `.ci/run` installs Debian's chromium and sets this.
  static let chromium = ProcessInfo.processInfo.environment["ABLATE_CHROMIUM"]

  /// The page's DOM after load (scripts run), as Chromium serialises it.
  static func dumpDOM(_ url: String, profile: String) throws -> String {
    try chrome(["--dump-dom", url], profile: profile)
  }

  static func screenshot(_ url: String, to path: String, profile: String) throws {
    _ = try chrome(
      ["--screenshot=\(path)", "--window-size=1280,900", "--hide-scrollbars", url], profile: profile)
  }

  static func chrome(_ args: [String], profile: String) throws -> String {
    try CLI.output(
      of: chromium!,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--user-data-dir=\(profile)",
      ] + args)
  }

  static func count(_ dom: String, _ experiment: String, _ state: String) -> Int? {
    let marker = "data-count=\"\(experiment)|\(state)\">"
    guard let r = dom.range(of: marker) else { return nil }
    return Int(dom[r.upperBound...].prefix { $0.isNumber })
  }

  @Test(
    .enabled(
      if: chromium != nil, "ABLATE_CHROMIUM is not set: point it at Debian's chromium (.ci/run does)"))
  func liveCountsCurvesAndTheReportTable() throws {
    let cli = try CLI()
    try cli.write(
      "train.sh",
      """
      #!/bin/sh
      seed=$(sed 's/.*"seed":\\([0-9]*\\).*/\\1/' "$ABLATE_CONFIG")
      lr=$(sed 's/.*"lr":\\([^,}]*\\).*/\\1/' "$ABLATE_CONFIG")
      for i in 1 2 3 4 5 6; do
        awk -v i=$i -v s=$seed -v lr=$lr 'BEGIN { printf "{\\"step\\": %d, \\"loss\\": %.6f}\\n", i, 1 / (1 + lr * i) + s / 100 }' >> "$ABLATE_METRICS"
        sleep 0.4
      done
      # Hold the cell until the test has watched it run (however slow the browser is on a loaded machine).
      while [ ! -f "\(cli.root)/gate" ]; do sleep 0.1; done
      awk -v s=$seed -v lr=$lr 'BEGIN { printf "{\\"acc\\": %.6f}\\n", 0.5 + lr / 2 + s / 50 }' >> "$ABLATE_METRICS"

      """, executable: true)
    try cli.write(
      "spec.yaml",
      """
      name: live
      trainer: {command: [sh, train.sh]}
      baseline: {lr: 0.5}
      variants:
        - {name: fast, set: {lr: 0.9}}
      seeds: [1, 2, 3]

      """)
    // One cell first, so there is a store to serve before the grid starts.
    try cli.write("gate", "")
    #expect(try cli.run("run", "spec.yaml", "--only", "baseline", "--set", "seeds=[1]").status == 0)
    try FileManager.default.removeItem(atPath: cli.root + "/gate")
    let server = try Server.start(cli, ["--spec", "spec.yaml"])
    defer { server.stop() }
    let base = "http://127.0.0.1:\(server.port)"
    let profile = cli.root + "/chromium-profile"

    // Watch the experiment page while the grid runs; its cells wait at the gate until the page has shown one
    // running (or two minutes have passed, and the expectations below fail).
    let run = try cli.start(["run", "spec.yaml"])
    var seen: [(running: Int, done: Int)] = []
    let started = Date()
    var gateOpen = false
    while run.0.isRunning {
      let dom = try Self.dumpDOM(base + "/experiments/live", profile: profile)
      if let running = Self.count(dom, "live", "running"), let done = Self.count(dom, "live", "done") {
        seen.append((running, done))
      }
      if !gateOpen, seen.contains(where: { $0.running > 0 }) || Date().timeIntervalSince(started) > 120 {
        try cli.write("gate", "")
        gateOpen = true
      }
    }
    #expect(cli.finish(run).status == 0)
    let final = try Self.dumpDOM(base + "/experiments/live", profile: profile)
    #expect(Self.count(final, "live", "done") == 6)
    #expect(Self.count(final, "live", "running") == 0)
    #expect(seen.contains { $0.running > 0 }, "never saw a running cell: \(seen)")
    let dones = Set(seen.map(\.done) + [Self.count(final, "live", "done") ?? -1])
    #expect(dones.count >= 2, "done never changed: \(seen)")

    // A cell page shows its curve.
    let cell = try #require(try cli.cells().first { $0.variant == "fast" && $0.status == .done })
    let page = try Self.dumpDOM(base + "/cells/\(cell.id)", profile: profile)
    let figure = try #require(page.range(of: "data-curve=\"loss\""), "no loss curve on the cell page")
    #expect(page[figure.upperBound...].prefix(20_000).contains("<polyline"))

    // The report page's table holds `ablate report`'s numbers, in order.
    let report = try cli.run("report", "spec.yaml")
    let ours = HTMLReportTests.values(report.stdout)
    #expect(ours.count == 4)  // two rows x two metrics (acc, loss)
    let dom = try Self.dumpDOM(base + "/reports/live", profile: profile)
    let table = try #require(dom.firstMatch(of: /<table class="report">[\s\S]*?<\/table>/)).output
    #expect(HTMLReportTests.values(String(table)) == ours)

    // Screenshots of each page (kept when ABLATE_SCREENSHOTS names a folder: docs/ holds the README's).
    let shots = ProcessInfo.processInfo.environment["ABLATE_SCREENSHOTS"] ?? cli.root
    let pages = [
      ("dashboard-experiments", "/"), ("dashboard-experiment", "/experiments/live"),
      ("dashboard-cell", "/cells/\(cell.id)?smoothing=0.6"), ("dashboard-report", "/reports/live"),
      ("dashboard-compare", "/compare?experiment=live&a=baseline&b=fast"),
    ]
    for (name, path) in pages {
      let file = shots + "/\(name).png"
      try Self.screenshot(base + path, to: file, profile: profile)
      let png = try Data(contentsOf: URL(fileURLWithPath: file))
      #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
      #expect(png.count > 10_000, "\(name) looks blank")
    }
  }
}
