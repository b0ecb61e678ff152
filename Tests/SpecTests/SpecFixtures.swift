import Foundation
import TestSupport

@testable import Spec

/// A small, complete spec used by many tests: 3 rows (implicit baseline + 2 variants) x 2 lrs x 3 seeds.
let demoSpec = """
  name: demo
  description: A small ablation
  trainer:
    builtin: logreg
  baseline:
    model:
      layers: 4
      hidden: 64
      dropout: 0.1
    optim:
      lr: 0.001
      warmup: 100
    data: {name: world, scale: smoke}
  variants:
    - name: shallow
      set: {model.layers: 2}
    - name: no-warmup
      unset: [optim.warmup]
  grid:
    optim.lr: [1e-4, 3e-4]
  seeds: [1, 2, 3]

  """

/// The header every small test spec starts with (3 lines), so error lines are easy to count.
let header = """
  name: t
  trainer: {builtin: logreg}
  baseline: {model: {layers: 4, hidden: 64}, optim: {lr: 0.1, warmup: 10}}

  """

/// Loads YAML text and returns its error lines (empty when it loads).
func errorLines(_ yaml: String, file: String = "spec.yaml", overrides: [String] = []) -> [String] {
  do {
    _ = try ExperimentSpec.parse(yaml: yaml, file: file, overrides: overrides)
    return []
  } catch {
    return error.errors.map(\.description)
  }
}

/// Loads YAML text that must be valid.
func spec(_ yaml: String, overrides: [String] = []) throws -> ExperimentSpec {
  try ExperimentSpec.parse(yaml: yaml, file: "spec.yaml", overrides: overrides)
}

/// A folder of spec files for tests of `extends:` and file reading.
struct SpecFolder {
  let directory: TemporaryDirectory

  init() throws { directory = try TemporaryDirectory("ablate-spec") }

  var path: String { directory.path }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try write(name, Data(text.utf8))
  }

  @discardableResult
  func write(_ name: String, _ data: Data) throws -> String {
    let url = directory.url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
    return url.path
  }

  func errors(_ name: String, overrides: [String] = []) -> [String] {
    do {
      _ = try ExperimentSpec.load(path: directory.url.appendingPathComponent(name).path, overrides: overrides)
      return []
    } catch {
      return error.errors.map(\.description)
    }
  }
}
