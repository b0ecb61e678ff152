import SettingsDecoding
import Spec
import Testing

/// A settings struct as a built-in trainer writes one: defaults in the declaration, ranges in `init(from:)`.
struct Knobs: Decodable, Equatable {
  enum Mode: String, CaseIterable { case fast, slow }
  var lr = 0.1
  var steps = 10
  var mode = Mode.fast
  var tags: [Mode] = []
  var optim = Optim()

  struct Optim: Equatable { var beta = 0.9 }

  init() {}

  init(from decoder: any Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: SettingKey.self)
    lr = try c.decode("lr", default: lr, atLeast: 0, below: 1)
    steps = try c.decode("steps", default: steps, atLeast: 1)
    mode = try c.decode("mode", default: mode)
    tags = try c.decode("tags", default: tags)
    if let o = try c.nested("optim") { optim.beta = try o.decode("beta", default: optim.beta, atMost: 1) }
  }
}

@Suite struct ConfigValueDecoderTests {
  func decode(_ config: ConfigValue) throws -> Knobs {
    try ConfigValueDecoder().decode(Knobs.self, from: config)
  }

  func problem(_ config: ConfigValue) -> ConfigError? {
    do {
      _ = try decode(config)
      return nil
    } catch { return error as? ConfigError }
  }

  @Test func absentKeysKeepTheirDefaultsAndNumbersConvert() throws {
    #expect(try decode([:]) == Knobs())
    var expected = Knobs()
    expected.lr = 0.5
    expected.steps = 3
    expected.mode = .slow
    expected.tags = [.fast, .slow]
    expected.optim.beta = 1
    #expect(
      try decode(["lr": 0.5, "steps": 3.0, "mode": "slow", "tags": ["fast", "slow"], "optim": ["beta": 1]])
        == expected)
    #expect(try decode(["lr": nil, "optim": nil]) == Knobs())
  }

  @Test func unknownKeysAreRefusedWithTheNearestKnownOne() {
    #expect(problem(["lrr": 0.5]) == ConfigError(key: "lrr", "is unknown", hint: "did you mean 'lr'?"))
    #expect(
      problem(["optim": ["betta": 0.5]])
        == ConfigError(key: "optim.betta", "is unknown", hint: "did you mean 'optim.beta'?"))
    #expect(
      problem(["zzzzzz": 1])
        == ConfigError(key: "zzzzzz", "is unknown", hint: "known here: lr, mode, optim, steps, tags"))
  }

  @Test func badValuesNameTheirKeyAndWhatIsExpected() {
    #expect(problem(["lr": "fast"]) == ConfigError(key: "lr", "must be a number, got \"fast\""))
    #expect(problem(["lr": 1]) == ConfigError(key: "lr", "must be < 1, got 1.0"))
    #expect(problem(["steps": 2.5]) == ConfigError(key: "steps", "must be an integer, got 2.5"))
    #expect(problem(["steps": 0]) == ConfigError(key: "steps", "must be >= 1, got 0"))
    #expect(
      problem(["mode": "medium"]) == ConfigError(key: "mode", "must be one of fast | slow, got \"medium\""))
    #expect(
      problem(["tags": ["fast", "x"]]) == ConfigError(key: "tags", "must be one of fast | slow, got \"x\""))
    #expect(problem(["optim": 3]) == ConfigError(key: "optim", "must be a mapping, got 3"))
    #expect(problem(["optim": ["beta": 2]]) == ConfigError(key: "optim.beta", "must be <= 1, got 2.0"))
  }
}
