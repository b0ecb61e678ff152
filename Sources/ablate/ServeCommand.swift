import ArgumentParser
import Experiments
import Foundation
import Report
import Serve
import Store

/// `ablate serve`: the web dashboard over a store, read-only, while runners fill it.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract:
      "Serve a live web dashboard of the store (read-only): experiments, cells, curves, report tables.")

  @OptionGroup var store: StoreOption
  @Option(help: "Port to listen on (0 picks a free one; the URL is printed).") var port: Int = 8080
  @Option(help: "Address to bind; anything but loopback requires --token.") var host: String = "127.0.0.1"
  @Option(
    help:
      "A token every request must carry (?token=T once, or Authorization: Bearer T); default $ABLATE_SERVE_TOKEN."
  )
  var token: String?
  @Option(name: .customLong("spec"), help: "A spec whose report table the dashboard shows (repeatable).")
  var specs: [String] = []
  @Option(name: .customLong("set"), help: "Override a config value of every --spec: a.b=value (repeatable).")
  var overrides: [String] = []

  func run() async throws {
    guard (0...65535).contains(port) else {
      throw CLIError.badInput("--port \(port): not a port (hint: 1-65535, or 0 for any free one)")
    }
    var served: [ServedSpec] = []
    for path in specs {
      let experiment = try Experiment(
        spec: path, overrides: overrides, store: store.path, executable: executablePath)
      let command = (["ablate", "report", path] + overrides.flatMap { ["--set", $0] }).joined(separator: " ")
      served.append(
        ServedSpec(
          path: path, spec: experiment.spec, cells: experiment.cells, command: command,
          bookkeeping: experiment.launch.bookkeeping))
    }
    guard let opened = try store.openExisting() else {
      throw CLIError.badInput(
        "\(store.path): no store here yet (hint: ablate run SPEC first, or pass --store PATH)")
    }
    let server: DashboardServer
    do {
      server = try DashboardServer(
        dashboard: Dashboard(store: opened, specs: served, paper: PaperTables.embedded()), host: host,
        port: port,
        token: token ?? ProcessInfo.processInfo.environment["ABLATE_SERVE_TOKEN"])
    } catch let error as DashboardServer.ConfigurationError {
      throw CLIError.badInput(error.description)
    }
    let host = self.host
    try await server.run { bound in
      let shown = host.contains(":") ? "[\(host)]" : host
      printOut("ablate serve: http://\(shown):\(bound)/ (store \(opened.path), read-only; Ctrl-C stops)")
    }
  }
}
