import ArgumentParser
import Experiments

/// The spec every experiment command takes, its `--set` overrides and its store.
struct ExperimentOptions: ParsableArguments {
  @Argument(help: "The experiment spec (YAML).") var spec: String
  @Option(name: .customLong("set"), help: "Override a config value: a.b=value (repeatable).")
  var overrides: [String] = []
  @OptionGroup var store: StoreOption

  /// The spec loaded, checked and expanded against the store; a problem is bad input (exit code 2).
  func open() throws(ExperimentError) -> Experiment {
    try Experiment(spec: spec, overrides: overrides, store: store.path, executable: executablePath)
  }
}
