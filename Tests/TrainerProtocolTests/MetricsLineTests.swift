import Foundation
import TrainerProtocol
import Testing

@Suite struct MetricsLineTests {
  @Test func readsStepsNumbersAndPythonStyleNonFinites() throws {
    let line = try #require(
      MetricsLine.parse(#"{"step": 3, "loss": 0.25, "acc": 1e-2, "bad": NaN, "up": Infinity}"#))
    #expect(line.step == 3)
    #expect(line.values.map(\.name) == ["loss", "acc", "bad", "up"])
    #expect(line.values[0].value == 0.25)
    #expect(line.values[1].value == 0.01)
    #expect(line.values[2].value.isNaN)
    #expect(line.values[3].value == .infinity)
  }

  @Test func ignoresNonNumericFieldsAndRejectsTornLines() {
    let line = MetricsLine.parse(
      #"{"phase": "train", "tags": [1, {"a": 2}], "ok": true, "x": -1, "q": "nan"}"#)
    #expect(line?.values.map(\.name) == ["x", "q"])
    #expect(line?.values[1].value.isNaN == true)
    #expect(MetricsLine.parse(#"{"loss": 0.2"#) == nil)
    #expect(MetricsLine.parse("[1, 2]") == nil)
    #expect(MetricsLine.parse(#"{"loss": 1} trailing"#) == nil)
  }

  @Test func writerOutputReadsBack() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID()).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try MetricsFileWriter(path: path)
    try writer.log(step: 2, ["loss": 0.5, "weird \"name\"": .nan])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let line = try #require(MetricsLine.parse(text.split(separator: "\n")[0]))
    #expect(line.step == 2)
    #expect(line.values.first?.value == 0.5)
    #expect(line.values.last?.name == "weird \"name\"")
  }
}
