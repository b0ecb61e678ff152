import Testing

@testable import Spec

/// Every validation error with its exact `file:line:col`. `header` is 3 lines, so test content starts at line 4.
@Suite struct ValidationTests {
  @Test func unknownTopLevelKeySuggestsTheNearestKey() {
    #expect(
      errorLines(header + "variant:\n  - {name: a}\n") == [
        "spec.yaml:4:1: unknown key 'variant' (hint: did you mean 'variants'?)"
      ])
  }

  @Test func wrongTypesNameTheExpectedType() {
    #expect(
      errorLines(header + "seeds: {a: 1}\n") == [
        "spec.yaml:4:8: expected a list of integers for 'seeds', found a mapping (hint: write seeds: [1, 2, 3])"
      ])
    #expect(
      errorLines(header + "seeds: [1, x, 1]\n") == [
        "spec.yaml:4:12: expected an integer for 'seeds', found a string",
        "spec.yaml:4:15: seed 1 appears twice in 'seeds' (hint: first at line 4, column 9)",
      ])
    #expect(
      errorLines("name: [a]\ntrainer: {builtin: x}\nbaseline: {a: 1}\n") == [
        "spec.yaml:1:7: expected a string for 'name', found a list"
      ])
    #expect(
      errorLines(header + "grid: {optim.lr: 0.1}\n") == [
        "spec.yaml:4:18: expected a list of values for 'grid.optim.lr', found a number (hint: write [0.1] for one value)"
      ])
    #expect(
      errorLines("name: t\ntrainer: {command: python train.py}\nbaseline: {a: 1}\n") == [
        "spec.yaml:2:20: expected a list of arguments for 'trainer.command', found a string (hint: write command: [python, train.py]; no shell is involved)"
      ])
  }

  @Test func missingRequiredKeys() {
    #expect(
      errorLines("description: only this\n") == [
        "spec.yaml:1:1: missing required key 'name' (hint: add a line like 'name: my-ablation')",
        "spec.yaml:1:1: missing required key 'trainer' (hint: write trainer: {builtin: NAME} or trainer: {command: [python, train.py]})",
        "spec.yaml:1:1: missing required key 'baseline' (hint: add 'baseline:' with the config every cell starts from)",
      ])
  }

  @Test func topLevelMustBeAMapping() {
    #expect(
      errorLines("- a\n- b\n") == [
        "spec.yaml:1:1: a spec must be a mapping of keys, found a list (hint: start with 'name:', 'trainer:' and 'baseline:')"
      ])
  }

  @Test func variantPathMustExistInTheBaseline() {
    #expect(
      errorLines(header + "variants:\n  - name: a\n    set: {optim.lrr: 2}\n") == [
        "spec.yaml:6:11: path 'optim.lrr' (in variant 'a') does not exist in the baseline (hint: did you mean 'optim.lr'?)"
      ])
    #expect(
      errorLines(header + "variants:\n  - name: a\n    set: {optim.momentum: 0.9}\n") == [
        "spec.yaml:6:11: path 'optim.momentum' (in variant 'a') does not exist in the baseline (hint: 'optim' has keys: lr, warmup; declare new keys in the baseline first)"
      ])
    #expect(
      errorLines(header + "variants:\n  - name: a\n    unset: [optim.lr.schedule]\n") == [
        "spec.yaml:6:13: path 'optim.lr.schedule' (in variant 'a') does not exist in the baseline (hint: 'optim.lr' is a number, not a mapping)"
      ])
  }

  @Test func duplicateVariantNames() {
    #expect(
      errorLines(header + "variants:\n  - {name: a, set: {optim.lr: 1}}\n  - {name: a, set: {optim.lr: 2}}\n") == [
        "spec.yaml:6:12: duplicate variant name 'a' (hint: first defined at spec.yaml:5:12)"
      ])
  }

  @Test func variantProblems() {
    #expect(
      errorLines(header + "variants:\n  - small\n  - {nam: b}\n") == [
        "spec.yaml:5:5: expected a mapping with 'name' and 'set' for 'variants', found a string (hint: write - {name: small, set: {model.layers: 2}})",
        "spec.yaml:6:5: variant without a 'name' (hint: every row of the table needs a name)",
        "spec.yaml:6:6: unknown key 'nam' in a variant (hint: did you mean 'name'?)",
      ])
    #expect(
      errorLines(header + "variants:\n  - {name: same, set: {optim.lr: 0.1}}\n") == [
        "spec.yaml:5:12: variant 'same' gives the same config as 'baseline' (hint: identical rows would run the same cells; change or remove one)"
      ])
    #expect(
      errorLines(header + "variants:\n  - {name: baseline, set: {optim.lr: 1}}\n") == [
        "spec.yaml:5:12: the variant named 'baseline' changes the baseline (hint: rename it; 'baseline' names the implicit row that changes nothing)"
      ])
    #expect(
      errorLines(header + "variants:\n  - {name: a, set: {optim.lr: 1}, unset: [optim.lr]}\n") == [
        "spec.yaml:5:21: variant 'a' both sets and unsets 'optim.lr'"
      ])
  }

  @Test func variantMayNotFightTheGrid() {
    #expect(
      errorLines(header + "variants:\n  - {name: a, set: {optim.lr: 1}}\ngrid: {optim.lr: [1, 2]}\n") == [
        "spec.yaml:5:21: variant 'a' sets 'optim.lr', which the grid sweeps ('optim.lr') (hint: the grid value would win; remove it from the variant or from the grid)"
      ])
  }

  @Test func emptyGridAxis() {
    #expect(
      errorLines(header + "grid:\n  optim.lr: []\n") == [
        "spec.yaml:5:13: grid axis 'optim.lr' has no values (hint: give at least one value)"
      ])
  }

  @Test func gridAxisProblems() {
    #expect(
      errorLines(header + "grid:\n  optim.lr: [1, 1]\n  optim.lrate: [1]\n") == [
        "spec.yaml:5:17: value 1 appears twice in grid axis 'optim.lr' (hint: first at line 5, column 14)",
        "spec.yaml:6:3: path 'optim.lrate' (in the grid) does not exist in the baseline (hint: did you mean 'optim.lr'?)",
      ])
    #expect(
      errorLines(header + "grid:\n  model: [{layers: 1}, {layers: 2}]\n  model.hidden: [1]\n") == [
        "spec.yaml:6:3: grid axis 'model.hidden' overlaps grid axis 'model' (hint: one axis may not lie inside another)"
      ])
    #expect(
      errorLines(header + "grid:\n  optim.lr: [1]\n  zip:\n    - {optim.lr: [2]}\n") == [
        "spec.yaml:7:8: grid axis 'optim.lr' is declared twice (hint: first at line 5, column 3)"
      ])
  }

  @Test func zippedAxesNeedEqualLengths() {
    #expect(
      errorLines(header + "grid:\n  zip:\n    - {model.layers: [2, 4], model.hidden: [32]}\n") == [
        "spec.yaml:6:44: zipped axis 'model.hidden' has 1 value, but 'model.layers' has 2 (hint: zipped axes advance together, so they need the same number of values)"
      ])
  }

  @Test func excludeProblems() {
    let grid = header + "grid:\n  optim.lr: [1, 2]\n  exclude:\n"
    #expect(
      errorLines(grid + "    - {optim.l: 1}\n") == [
        "spec.yaml:7:8: exclude names 'optim.l', which is not a grid axis (hint: did you mean 'optim.lr'?)"
      ])
    #expect(
      errorLines(grid + "    - {optim.lr: 5}\n") == [
        "spec.yaml:7:18: exclude value 5 is not a value of axis 'optim.lr' (hint: its values are: 1, 2)"
      ])
    #expect(
      errorLines(grid + "    - {optim.lr: 1}\n    - {optim.lr: 2.0}\n") == [
        "spec.yaml:6:3: the excludes remove every grid point (hint: drop or narrow an exclude)"
      ])
  }

  @Test func trainerProblems() {
    #expect(
      errorLines("name: t\ntrainer: {builtin: x, command: [y]}\nbaseline: {a: 1}\n") == [
        "spec.yaml:2:23: a trainer is either 'builtin' or 'command', not both"
      ])
    #expect(
      errorLines("name: t\ntrainer: {biultin: x}\nbaseline: {a: 1}\n") == [
        "spec.yaml:2:10: 'trainer' names no trainer (hint: write trainer: {builtin: NAME} or trainer: {command: [python, train.py]})",
        "spec.yaml:2:11: unknown key 'biultin' in 'trainer' (hint: did you mean 'builtin'?)",
      ])
  }

  @Test func baselineKeysAreAddressable() {
    #expect(
      errorLines("name: t\ntrainer: {builtin: x}\nbaseline:\n  seed: 1\n  optim.lr: 2\n") == [
        "spec.yaml:4:3: 'seed' is reserved in the baseline (hint: each cell's config gets 'seed' from the spec's 'seeds' list)",
        "spec.yaml:5:3: key 'optim.lr' contains '.' (hint: dotted paths address nested keys; nest it as optim: {lr: ...})",
      ])
  }

  @Test func runProblems() {
    #expect(
      errorLines(header + "run: {timeout: -1, retries: x, tiemout: 1}\n") == [
        "spec.yaml:4:16: 'run.timeout' must be positive (hint: omit it for no limit)",
        "spec.yaml:4:29: expected an integer for 'run.retries', found a string",
        "spec.yaml:4:32: unknown key 'tiemout' in 'run' (hint: did you mean 'timeout'?)",
      ])
    #expect(
      errorLines(header + "run: {timeout: 10 minutes}\n") == [
        "spec.yaml:4:16: invalid duration '10 minutes' for 'run.timeout' (hint: give seconds (600) or a number with a unit: 90s, 10m, 1.5h, 1d)"
      ])
  }

  @Test func invalidExperimentName() {
    #expect(
      errorLines("name: my table\ntrainer: {builtin: x}\nbaseline: {a: 1}\n") == [
        "spec.yaml:1:7: invalid experiment name 'my table' (hint: use letters, digits, '-', '_' and '.', starting with a letter or digit)"
      ])
  }

  @Test func allProblemsAreReportedInFileOrder() {
    let lines = errorLines(
      """
      name: t
      trainer: {builtin: x}
      baseline: {optim: {lr: 1}}
      variants:
        - {name: a, set: {optim.lrr: 1}}
      grid: {optim.lr: []}
      seeds: []
      colour: blue

      """)
    #expect(lines.count == 4)
    #expect(lines.map { $0.split(separator: ":").dropFirst().prefix(2).joined(separator: ":") } == ["5:21", "6:18", "7:8", "8:1"])
  }

  @Test func overrideProblems() {
    #expect(
      errorLines(header, overrides: ["optim.lrr=1", "nokey", "optim.lr=[1,", "optim..lr=1"]) == [
        "--set:1:1: path 'optim.lrr' (in --set) does not exist in the baseline (hint: did you mean 'optim.lr'?)",
        "--set:2:1: override 'nokey' has no '=' (hint: write --set path=value, like optim.lr=1e-4)",
        "--set:3:13: invalid value in --set optim.lr: invalid YAML: did not find expected node content (hint: the value is read as YAML, like 1e-4, base, [1,2] or {a: 1})",
        "--set:4:1: malformed path 'optim..lr' in --set (hint: a path is keys joined by '.', like optim.lr)",
      ])
    #expect(
      errorLines(header + "grid: {optim.lr: [1, 2]}\n", overrides: ["optim.lr=3"]) == [
        "--set:1:1: --set 'optim.lr' would have no effect: the grid sweeps 'optim.lr' (hint: edit the grid in the spec instead)"
      ])
  }
}
