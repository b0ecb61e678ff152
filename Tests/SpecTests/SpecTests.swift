import Testing

@testable import Spec

@Test func minimalSpecLoads() throws {
  let spec = try ExperimentSpec.parse(
    yaml: "name: t\ntrainer: {builtin: logreg}\nbaseline: {lr: 0.1}\n", file: "t.yaml")
  #expect(spec.name == "t")
  #expect(spec.cells(trainerIdentity: "x").count == 1)
}
