import Foundation
import Hashing
import Testing

/// A running `ablate serve` and the port it bound.
struct Server {
  let process: Process
  let port: Int
  var probe: HTTPProbe { HTTPProbe(port: port) }

  /// Starts `ablate serve ARGS --port 0` and waits for the URL it prints.
  static func start(_ cli: CLI, _ args: [String], environment: [String: String] = [:]) throws -> Server {
    let started = try cli.start(["serve", "--port", "0"] + args, environment: environment)
    let (process, out, _) = started
    var text = ""
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, process.isRunning {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
      if let match = text.firstMatch(of: /http:\/\/[^\s]+:([0-9]+)\//), let port = Int(match.1) {
        return Server(process: process, port: port)
      }
    }
    process.terminate()
    throw CLIError(message: "ablate serve printed no URL: \(text) \(cli.finish(started).stderr)")
  }

  func stop() {
    process.terminate()
    process.waitUntilExit()
  }
}

struct CLIError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

@Suite struct ServeCommandTests {
  func logregStore() throws -> CLI {
    let cli = try CLI()
    try cli.write(
      "spec.yaml",
      """
      name: lr
      trainer: {builtin: logreg}
      baseline: {lr: 0.5, epochs: 20}
      variants:
        - {name: slow, set: {lr: 0.05}}
      seeds: [1, 2]

      """)
    #expect(try cli.run("run", "spec.yaml", "--jobs", "2").status == 0)
    return cli
  }

  /// Pages answer with the store's facts; malformed ids and paths get 400, unknown ones 404, never a file
  /// outside the store's folder; serving never writes to the store.
  @Test func pagesAndValidation() throws {
    let cli = try logregStore()
    let cells = try cli.cells()
    // The store's bytes (database and write-ahead log) before serving; compared at the end.
    let snapshot = {
      [cli.storePath, cli.storePath + "-wal"].map { path in
        // SQLite may create an empty log for a WAL reader; an empty one holds nothing written.
        (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { $0.isEmpty ? nil : SHA256.hex($0) }
          ?? "absent or empty"
      }
    }
    let before = snapshot()
    let cell = try #require(cells.first { $0.variant == "baseline" })
    let server = try Server.start(cli, ["--spec", "spec.yaml"])
    defer { server.stop() }
    let probe = server.probe

    let index = try probe.get("/")
    #expect(index.status == 200)
    #expect(index.body.contains("data-count=\"lr|done\">4<"))
    #expect(index.headers.lowercased().contains("content-security-policy: default-src 'self'"))
    let experiment = try probe.get("/experiments/lr")
    #expect(experiment.status == 200)
    #expect(experiment.body.contains("/cells/\(cell.id)"))
    let page = try probe.get("/cells/\(cell.id)")
    #expect(page.status == 200)
    #expect(page.body.contains("data-curve=\"loss\""))
    #expect(page.body.contains("<polyline"))
    #expect(page.body.contains("weights.txt"))
    let artifact = try probe.get("/cells/\(cell.id)/artifacts/weights.txt")
    #expect(artifact.status == 200)
    #expect(!artifact.body.isEmpty)
    let curve = try probe.get("/cells/\(cell.id)/curve.svg?metric=loss&smoothing=0.6")
    #expect(curve.status == 200 && curve.body.contains("<svg"))
    let api = try probe.get("/api/experiments")
    #expect(api.body.contains("\"done\":4"))
    #expect(try probe.get("/reports/lr").body.contains("<table class=\"report\">"))
    #expect(try probe.get("/compare?experiment=lr&a=baseline&b=slow").status == 200)
    let other = try #require(cells.first { $0.id != cell.id })
    #expect(try probe.get("/compare?a=\(cell.id)&b=\(other.id)").body.contains("Config differences"))
    #expect(try probe.get("/assets/dashboard.js").status == 200)

    // Malformed: 400. Unknown: 404. Neither ever serves a file.
    let bad = [
      "/cells/not-an-id", "/cells/\(cell.id.uppercased())", "/cells/\(cell.id)/artifacts/..%2F..%2Fablate.db",
      "/cells/\(cell.id)/artifacts/%2e%2e/%2e%2e/%2e%2e/ablate.db", "/../../etc/passwd", "/cells/%zz",
      "/experiments/..", "/cells/\(cell.id)?smoothing=7", "/experiments/lr?page=0",
      "/cells/\(cell.id)/curve.svg",
    ]
    for path in bad {
      let reply = try probe.get(path)
      #expect(reply.status == 400, "\(path) -> \(reply.status)")
      #expect(!reply.body.contains("SQLite format"))
    }
    let unknown = [
      "/cells/" + String(repeating: "f", count: 64), "/experiments/nope", "/reports/nope", "/nowhere",
      "/cells/\(cell.id)/artifacts/stdout.log.nothere", "/cells/\(cell.id)/artifacts/..%5C..%5Cablate.db",
      "/assets/passwd",
    ]
    for path in unknown {
      let reply = try probe.get(path)
      #expect([400, 404].contains(reply.status), "\(path) -> \(reply.status)")
      #expect(!reply.body.contains("SQLite format") && !reply.body.contains("root:"))
    }
    #expect(try probe.get("/cells/" + String(repeating: "f", count: 64)).status == 404)
    #expect(try probe.get("/experiments/nope").status == 404)
    #expect(server.process.isRunning)  // no request crashed it
    #expect(snapshot() == before)
  }

  /// Off loopback a token is required to start, and every request without it is refused.
  @Test func tokenOffLoopback() throws {
    let cli = try logregStore()
    let refused = try cli.run("serve", "--host", "0.0.0.0", "--port", "0")
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("--token"))

    let server = try Server.start(cli, ["--host", "0.0.0.0", "--token", "s3cret-t0ken"])
    defer { server.stop() }
    let probe = server.probe
    #expect(try probe.get("/").status == 401)
    #expect(try probe.get("/api/experiments").status == 401)
    #expect(try probe.get("/assets/dashboard.js").status == 401)
    #expect(try probe.get("/?token=wrong").status == 401)
    #expect(try probe.get("/", headers: ["Authorization": "Bearer s3cret-t0kem"]).status == 401)
    #expect(try probe.get("/", headers: ["Authorization": "Bearer s3cret-t0ken"]).status == 200)
    let viaQuery = try probe.get("/?token=s3cret-t0ken")
    #expect(viaQuery.status == 200)
    #expect(viaQuery.headers.contains("ablate_token=s3cret-t0ken"))
    #expect(try probe.get("/experiments/lr", headers: ["Cookie": "ablate_token=s3cret-t0ken"]).status == 200)

    // The token may come from the environment instead of the command line.
    let fromEnv = try Server.start(
      cli, ["--host", "0.0.0.0"], environment: ["ABLATE_SERVE_TOKEN": "env-token"])
    defer { fromEnv.stop() }
    #expect(try fromEnv.probe.get("/").status == 401)
    #expect(try fromEnv.probe.get("/", headers: ["Authorization": "Bearer env-token"]).status == 200)
  }
}
