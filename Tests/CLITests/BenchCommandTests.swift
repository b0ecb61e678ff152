import Foundation
import Testing

/// `ablate bench` as `../shared/bench/compare.sh` calls it: one JSON line with the figures it reads, the peer's
/// parameter count, and data parallelism at two threads; a bad option is one line and exit 2.
@Suite struct BenchCommandTests {
  @Test func benchPrintsOneJSONLineOfTheTinyVLBERTFigures() throws {
    let cli = try CLI()
    for (parallel, replicas) in [("batch", 2), ("ops", 1)] {
      let result = try cli.run(
        "bench", "--model", "tiny-vlbert", "--threads", "2", "--seconds", "0.2", "--warmup", "1",
        "--parallel", parallel, "--json")
      #expect(result.status == 0, "\(result.stderr)")
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.count == 1)
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
      #expect(json["params"] as? Int == 1_257_632)  // torch_peer.py's count
      #expect(json["replicas"] as? Int == replicas)
      #expect((json["samples_per_s"] as? Double ?? 0) > 0 && (json["step_ms"] as? Double ?? 0) > 0)
      #expect(json["gflop_per_step"] as? Double == 9.14)
      #expect((json["loss"] as? Double).map { $0.isFinite } == true)
    }
    let bad = try cli.run("bench", "--parallel", "threads")
    #expect(bad.status == 2)
    #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("hint"))
  }
}
