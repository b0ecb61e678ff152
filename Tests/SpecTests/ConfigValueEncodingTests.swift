import Foundation
import Spec
import Testing

/// A typed struct stands for a config map: its encoding hashes as the map would, nil optionals left out.
@Suite struct ConfigValueEncodingTests {
  struct Stage: Encodable {
    var steps: Int
    var lr: Double
    var name: String
    var extra: Bool?
    var nested: [String: Int]
  }

  @Test func anEncodedStructIsTheMapItStandsFor() throws {
    let value = try ConfigValue(
      encoding: Stage(steps: 4, lr: 3e-4, name: "vqa", extra: nil, nested: ["b": 2, "a": 1]))
    let map: ConfigValue = ["steps": 4, "lr": 3e-4, "name": "vqa", "nested": ["a": 1, "b": 2]]
    #expect(value == map)
    #expect(value.canonicalJSON == #"{"lr":0.0003,"name":"vqa","nested":{"a":1,"b":2},"steps":4}"#)
    let withExtra = try ConfigValue(
      encoding: Stage(steps: 4, lr: 3e-4, name: "vqa", extra: true, nested: [:]))
    #expect(withExtra.canonicalJSON.contains(#""extra":true"#))
  }

  /// Integral and non-finite doubles: the canonical bytes of the map's `.double`, whatever the round trip.
  @Test func doublesKeepTheirCanonicalBytes() throws {
    for d in [1.0, -0.0, 1e20, 0.1, .infinity, -.infinity, .nan] {
      #expect(
        try ConfigValue(encoding: ["x": d]).canonicalJSON
          == ConfigValue.object(["x": .double(d)]).canonicalJSON)
    }
  }
}
