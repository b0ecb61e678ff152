import Testing

@testable import Spec

@Suite struct ExtendsTests {
  let base = """
    name: base
    description: the parent
    trainer: {builtin: logreg}
    baseline:
      model: {layers: 4, hidden: 64}
      optim: {lr: 0.1}
    variants:
      - {name: shallow, set: {model.layers: 2}}
    grid:
      optim.lr: [0.1, 0.2]
    seeds: [1, 2]
    run: {timeout: 60, retries: 1}

    """

  @Test func childMergesOverParent() throws {
    let folder = try SpecFolder()
    let basePath = try folder.write("base.yaml", base)
    let childPath = try folder.write(
      "sub/child.yaml",
      """
      extends: ../base.yaml
      name: child
      baseline:
        model: {hidden: 128}
      variants:
        - {name: narrow, set: {model.hidden: 32}}
      grid:
        optim.lr: [0.3]
      seeds: [7]
      run: {retries: 3}

      """)
    let s = try ExperimentSpec.load(path: childPath)
    #expect(s.name == "child")
    #expect(s.description == "the parent")
    #expect(s.trainer == .builtin("logreg"))
    #expect(s.baseline == ["model": ["layers": 4, "hidden": 128], "optim": ["lr": 0.1]])
    #expect(s.variants.map(\.name) == ["baseline", "shallow", "narrow"])
    #expect(s.grid.axes == [GridAxis(path: "optim.lr", values: [0.3])])
    #expect(s.seeds == [7])
    #expect(s.timeoutSeconds == 60)
    #expect(s.retries == 3)
    #expect(s.sourceFiles == [childPath, folder.path + "/sub/../base.yaml"])
    #expect(s.file == childPath)
    #expect(s.cells(trainerIdentity: "t").count == 3)
    _ = basePath
  }

  @Test func overridesApplyAfterExtends() throws {
    let folder = try SpecFolder()
    try folder.write("base.yaml", base)
    let child = try folder.write("child.yaml", "extends: base.yaml\nname: child\ngrid: null\n")
    let s = try ExperimentSpec.load(path: child, overrides: ["model.hidden=16"])
    #expect(s.baseline[path: "model.hidden"] == 16)
    #expect(s.cells(trainerIdentity: "t").allSatisfy { $0.config[path: "model.hidden"] == 16 })
    #expect(s.grid.isEmpty)
  }

  @Test func childVariantMayNotReuseAParentName() throws {
    let folder = try SpecFolder()
    let basePath = try folder.write("base.yaml", base)
    let child = try folder.write(
      "child.yaml", "extends: base.yaml\nvariants:\n  - {name: shallow, set: {model.layers: 1}}\n")
    #expect(
      folder.errors("child.yaml") == [
        "\(child):3:12: duplicate variant name 'shallow' (hint: first defined at \(basePath):8:12)"
      ])
  }

  @Test func errorsPointIntoTheFileThatHasThem() throws {
    let folder = try SpecFolder()
    let basePath = try folder.write(
      "base.yaml", base.replacingOccurrences(of: "seeds: [1, 2]", with: "seedz: [1, 2]"))
    let child = try folder.write(
      "child.yaml", "extends: base.yaml\nvariants:\n  - {name: deep, set: {model.layer: 8}}\n")
    #expect(
      folder.errors("child.yaml") == [
        "\(child):3:24: path 'model.layer' (in variant 'deep') does not exist in the baseline (hint: did you mean 'model.layers'?)",
        "\(basePath):11:1: unknown key 'seedz' (hint: did you mean 'seeds'?)",
      ])
  }

  @Test func missingExtendsTarget() throws {
    let folder = try SpecFolder()
    let path = try folder.write("a.yaml", "extends: nope.yaml\n" + header)
    #expect(
      folder.errors("a.yaml") == [
        "\(path):1:10: 'extends' target 'nope.yaml' does not exist (hint: looked for \(folder.path)/nope.yaml; the path is relative to the extending file's folder)"
      ])
  }

  @Test func extendsMustBeAPath() throws {
    #expect(
      errorLines("extends: [a.yaml]\n" + header) == [
        "spec.yaml:1:10: expected a file path for 'extends', found a list (hint: write extends: base.yaml)"
      ])
  }

  @Test func extendsCycles() throws {
    let folder = try SpecFolder()
    let a = try folder.write("a.yaml", "extends: b.yaml\n" + header)
    let b = try folder.write("b.yaml", "extends: a.yaml\nname: b\n")
    #expect(
      folder.errors("a.yaml") == [
        "\(b):1:10: 'extends' cycle: \(a) -> \(b) -> \(a) (hint: a spec may not extend itself, directly or not)"
      ])
    let own = try folder.write("self.yaml", "extends: ./self.yaml\n" + header)
    #expect(
      folder.errors("self.yaml") == [
        "\(own):1:10: 'extends' cycle: \(own) -> \(folder.path)/./self.yaml (hint: a spec may not extend itself, directly or not)"
      ])
  }

  @Test func brokenParentIsReportedInItsOwnFile() throws {
    let folder = try SpecFolder()
    let basePath = try folder.write("base.yaml", "name: base\nbaseline:\n\tlr: 1\n")
    try folder.write("child.yaml", "extends: base.yaml\n")
    #expect(
      folder.errors("child.yaml") == [
        "\(basePath):3:1: tab character in indentation (hint: YAML forbids tabs for indentation; use spaces)"
      ])
  }

  /// A report on the parent, for the `inherit:` tests.
  var reportedBase: String {
    base + """
      report:
        title: parent's
        caption: the parent's caption
        columns: [{metric: acc, label: Accuracy}]
        rows: {shallow: Shallow}

      """
  }

  @Test func reportIsReplacedWholeUnlessItInherits() throws {
    let folder = try SpecFolder()
    try folder.write("base.yaml", reportedBase)
    let inheriting = try folder.write(
      "child.yaml", "extends: base.yaml\nreport:\n  inherit: true\n  title: the child's\n")
    let s = try #require(try ExperimentSpec.load(path: inheriting).report)
    #expect(s.title == "the child's")
    #expect(s.caption == "the parent's caption")
    #expect(s.columns.map(\.label) == ["Accuracy"])
    #expect(s.rows.map(\.variant) == ["shallow", "baseline"])
    // A key the child gives replaces the parent's whole: a new column list is not appended to the old.
    let columns = try folder.write(
      "columns.yaml", "extends: base.yaml\nreport: {inherit: true, columns: [{metric: loss}]}\n")
    let c = try #require(try ExperimentSpec.load(path: columns).report)
    #expect(c.columns.map(\.metric) == ["loss"])
    #expect(c.title == "parent's")
    // Without `inherit`, the child's report is all there is.
    let replacing = try folder.write(
      "replace.yaml", "extends: base.yaml\nreport: {inherit: false, columns: [{metric: loss}]}\n")
    let r = try #require(try ExperimentSpec.load(path: replacing).report)
    #expect(r.title == nil)
    #expect(r.caption == nil)
  }

  @Test func inheritingAReportNeedsAParentWithOne() throws {
    let folder = try SpecFolder()
    try folder.write("base.yaml", base)
    let child = try folder.write("child.yaml", "extends: base.yaml\nreport:\n  inherit: true\n  title: t\n")
    #expect(
      folder.errors("child.yaml") == [
        "\(child):3:3: 'report.inherit: true' needs a parent spec with a report (hint: add 'extends: PARENT.yaml' naming a spec that has one, or write the whole report here)"
      ])
    #expect(
      errorLines(header + "report: {inherit: yes, columns: [{metric: acc}]}\n") == [
        "spec.yaml:4:19: expected true or false for 'report.inherit', found a string (hint: write inherit: true)"
      ])
    // Over a parent's report, a wrong value is that one line, not also the keys the report then lacks.
    try folder.write("reported.yaml", reportedBase)
    let wrong = try folder.write("wrong.yaml", "extends: reported.yaml\nreport: {inherit: maybe}\n")
    #expect(
      folder.errors("wrong.yaml") == [
        "\(wrong):2:19: expected true or false for 'report.inherit', found a string (hint: write inherit: true)"
      ])
  }
}
