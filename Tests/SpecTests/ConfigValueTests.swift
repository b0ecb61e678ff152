import Foundation
import Hashing
import Testing

@testable import Spec

@Suite struct ConfigValueTests {
  @Test func canonicalJSONSortsKeysAndHasNoSpaces() {
    let value: ConfigValue = ["b": 1, "a": ["y": true, "x": nil], "c": [1, "two", 3.5]]
    #expect(value.canonicalJSON == #"{"a":{"x":null,"y":true},"b":1,"c":[1,"two",3.5]}"#)
  }

  @Test func integralNumbersHashAlike() {
    let forms: [ConfigValue] = [.int(1), .double(1.0), .double(1e0)]
    #expect(Set(forms.map(\.canonicalJSON)) == ["1"])
    #expect(ConfigValue.double(-0.0).canonicalJSON == "0")
    #expect(ConfigValue.double(1e16).canonicalJSON == ConfigValue.int(10_000_000_000_000_000).canonicalJSON)
    #expect(ConfigValue.double(0.1).canonicalJSON == "0.1")
    #expect(ConfigValue.double(1e-4).canonicalJSON == "0.0001")
    #expect(ConfigValue.double(2.5e-7).canonicalJSON == "2.5e-07")
    #expect(ConfigValue.double(.nan).canonicalJSON == #""NaN""#)
    #expect(ConfigValue.double(-.infinity).canonicalJSON == #""-Infinity""#)
  }

  @Test func canonicalJSONIsValidJSON() throws {
    let value: ConfigValue = [
      "quote\"d": "line\nbreak\ttab\u{1}", "emoji": "é🙂", "big": 1e300, "small": -2.5e-7,
    ]
    let parsed = try JSONSerialization.jsonObject(with: Data(value.canonicalJSON.utf8)) as? [String: Any]
    #expect(parsed?["quote\"d"] as? String == "line\nbreak\ttab\u{1}")
    #expect(parsed?["emoji"] as? String == "é🙂")
    #expect(parsed?["small"] as? Double == -2.5e-7)
  }

  @Test func hashIsSHA256OfCanonicalJSON() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let value: ConfigValue = ["a": 1.0]
    #expect(value.canonicalHash == SHA256.hex(#"{"a":1}"#))
  }

  @Test func pathsGetSetAndRemove() {
    var value: ConfigValue = ["optim": ["lr": 0.1, "warmup": 10], "name": "x"]
    #expect(value[path: "optim.lr"] == .double(0.1))
    #expect(value[path: "optim.nope"] == nil)
    #expect(value[path: "name.inner"] == nil)
    value.set(path: "optim.lr", to: 0.2)
    value.set(path: "model.layers", to: 2)
    #expect(value[path: "optim.lr"] == .double(0.2))
    #expect(value[path: "model"] == ["layers": 2])
    let removed = value.remove(path: "optim.warmup")
    let removedAgain = value.remove(path: "optim.warmup")
    #expect(removed && !removedAgain)
    #expect(value.allPaths == ["model", "model.layers", "name", "optim", "optim.lr"])
  }

  @Test func accessorsConvertWhereSafe() {
    #expect(ConfigValue.int(3).doubleValue == 3)
    #expect(ConfigValue.double(4).intValue == 4)
    #expect(ConfigValue.double(4.5).intValue == nil)
    #expect(ConfigValue.string("a").stringValue == "a")
    #expect(ConfigValue.bool(true).boolValue == true)
    #expect(ConfigValue.int(1).stringValue == nil)
    #expect(ConfigValue.int(1).isCanonicallyEqual(to: .double(1)))
    #expect(!ConfigValue.int(1).isCanonicallyEqual(to: .string("1")))
  }

  @Test func codableRoundTrip() throws {
    let value: ConfigValue = ["a": [1, 2.5, "s", true, nil], "b": ["c": -3]]
    let data = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(ConfigValue.self, from: data) == value)
  }

  @Test func scalarsFollowTheYAMLCoreSchema() {
    #expect(ScalarResolver.resolvePlain("1e-4") == .double(1e-4))
    #expect(ScalarResolver.resolvePlain("3") == .int(3))
    #expect(ScalarResolver.resolvePlain("-0x1F") == .int(-31))
    #expect(ScalarResolver.resolvePlain("1_000") == .int(1000))
    #expect(ScalarResolver.resolvePlain(".5") == .double(0.5))
    #expect(ScalarResolver.resolvePlain("true") == .bool(true))
    #expect(ScalarResolver.resolvePlain("yes") == .string("yes"))
    #expect(ScalarResolver.resolvePlain("~") == .null)
    #expect(ScalarResolver.resolvePlain("1.2.3") == .string("1.2.3"))
    #expect(ScalarResolver.resolvePlain("e5") == .string("e5"))
    #expect(ScalarResolver.resolvePlain("nan") == .string("nan"))
    #expect(ScalarResolver.resolvePlain("99999999999999999999") == .double(1e20))
  }
}
