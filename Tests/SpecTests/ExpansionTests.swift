import Hashing
import Testing

@testable import Spec

@Suite struct ExpansionTests {
  @Test func demoSpecExpandsToVariantsTimesPointsTimesSeeds() throws {
    let s = try spec(demoSpec)
    #expect(s.variants.map(\.name) == ["baseline", "shallow", "no-warmup"])
    #expect(s.baselineVariant == "baseline")
    #expect(s.seeds == [1, 2, 3])
    let cells = s.cells(trainerIdentity: "builtin:logreg@1")
    #expect(cells.count == 18)
    #expect(Set(cells.map(\.id)).count == 18)
    // Order: variant, then grid point, then seed.
    #expect(cells.prefix(6).map(\.seed) == [1, 2, 3, 1, 2, 3])
    #expect(cells.prefix(6).map { $0.gridPoint["optim.lr"]! } == [1e-4, 1e-4, 1e-4, 3e-4, 3e-4, 3e-4])
    #expect(
      cells.map(\.variant) == Array(repeating: "baseline", count: 6) + Array(repeating: "shallow", count: 6)
        + Array(repeating: "no-warmup", count: 6))

    let shallow = cells[7]
    #expect(shallow.config[path: "model.layers"] == 2)
    #expect(shallow.config[path: "optim.lr"] == .double(1e-4))
    #expect(shallow.config[path: "seed"] == 2)
    #expect(shallow.config[path: "optim.warmup"] == 100)
    #expect(cells[12].config[path: "optim.warmup"] == nil)
    #expect(shallow.experiment == "demo")
    #expect(shallow.configHash == SHA256.hex(shallow.config.canonicalJSON))
    #expect(shallow.id == SHA256.hex(shallow.config.canonicalJSON + "\nbuiltin:logreg@1"))
  }

  @Test func expansionIsDeterministicAndIdentityFollowsTheTrainer() throws {
    let a = try spec(demoSpec).cells(trainerIdentity: "t1")
    let b = try spec(demoSpec).cells(trainerIdentity: "t1")
    let c = try spec(demoSpec).cells(trainerIdentity: "t2")
    #expect(a == b)
    #expect(a.map(\.configHash) == c.map(\.configHash))
    #expect(Set(a.map(\.id)).isDisjoint(with: c.map(\.id)))
  }

  @Test func editingOneVariantKeepsOtherCellsIdentities() throws {
    let before = try spec(demoSpec).cells(trainerIdentity: "t")
    let edited = demoSpec.replacingOccurrences(of: "{model.layers: 2}", with: "{model.layers: 1}")
      .replacingOccurrences(of: "A small ablation", with: "Edited description")
    let after = try spec(edited).cells(trainerIdentity: "t")
    let changed = zip(before, after).filter { $0.id != $1.id }
    #expect(changed.count == 6)
    #expect(changed.allSatisfy { $0.0.variant == "shallow" })
  }

  @Test func numberSpellingsDoNotChangeIdentity() throws {
    let a = try spec(header + "grid: {optim.lr: [1, 0.5]}\n").cells(trainerIdentity: "t")
    let b = try spec(header + "grid: {optim.lr: [1.0, 5e-1]}\n").cells(trainerIdentity: "t")
    #expect(a.map(\.id) == b.map(\.id))
  }

  @Test func cartesianAxesInFileOrderFirstSlowest() throws {
    let s = try spec(header + "grid:\n  optim.lr: [1, 2]\n  model.layers: [2, 4, 8]\n")
    let points = s.cells(trainerIdentity: "t").map {
      [$0.gridPoint["optim.lr"]!.intValue!, $0.gridPoint["model.layers"]!.intValue!]
    }
    #expect(points == [[1, 2], [1, 4], [1, 8], [2, 2], [2, 4], [2, 8]])
    #expect(s.grid.axes.map(\.path) == ["optim.lr", "model.layers"])
  }

  @Test func zippedAxesAdvanceTogether() throws {
    let s = try spec(
      header + """
        grid:
          optim.lr: [1, 2]
          zip:
            - {model.layers: [2, 4, 8], model.hidden: [32, 64, 128]}

        """)
    let cells = s.cells(trainerIdentity: "t")
    #expect(cells.count == 6)
    #expect(
      cells.allSatisfy {
        $0.config[path: "model.hidden"]!.intValue! == 16 * $0.config[path: "model.layers"]!.intValue!
      })
    #expect(cells.map { $0.gridPoint["model.layers"]!.intValue! } == [2, 4, 8, 2, 4, 8])
    #expect(s.grid.factors.map(\.isZipped) == [false, true])
  }

  @Test func excludesDropMatchingPoints() throws {
    let s = try spec(
      header + """
        grid:
          optim.lr: [1, 2, 3]
          model.layers: [2, 4]
          exclude:
            - {optim.lr: 3, model.layers: 4}
            - {optim.lr: 1.0}

        """)
    let points = s.cells(trainerIdentity: "t").map {
      [$0.gridPoint["optim.lr"]!.intValue!, $0.gridPoint["model.layers"]!.intValue!]
    }
    #expect(points == [[2, 2], [2, 4], [3, 2]])
  }

  @Test func seedsDefaultToZeroAndJoinTheConfig() throws {
    let cells = try spec(header).cells(trainerIdentity: "t")
    #expect(cells.count == 1)
    #expect(cells[0].seed == 0)
    #expect(
      cells[0].config == [
        "model": ["layers": 4, "hidden": 64], "optim": ["lr": 0.1, "warmup": 10], "seed": 0,
      ])
    #expect(cells[0].gridPoint.isEmpty)
    #expect(cells[0].variant == "baseline")
  }

  @Test func anUnchangedVariantIsTheBaselineRow() throws {
    let s = try spec(
      header + """
        variants:
          - {name: small, set: {model.layers: 2}}
          - {name: full}

        """)
    #expect(s.variants.map(\.name) == ["small", "full"])
    #expect(s.baselineVariant == "full")
  }

  @Test func variantSetReplacesAWholeSubtreeAndUnsetRemoves() throws {
    let s = try spec(
      header + """
        variants:
          - name: other-optim
            set: {optim: {name: sgd}}
          - name: no-model
            unset: model

        """)
    let cells = s.cells(trainerIdentity: "t")
    #expect(cells[1].config[path: "optim"] == ["name": "sgd"])
    #expect(cells[2].config[path: "model"] == nil)
  }

  @Test func overridesChangeTheBaselineAndParseYAMLScalars() throws {
    let s = try spec(
      demoSpec, overrides: ["model.dropout=1e-4", "data.name=base", "model.hidden=[1,2]", "data.scale="])
    #expect(s.baseline[path: "model.dropout"] == .double(1e-4))
    #expect(s.baseline[path: "data.name"] == "base")
    #expect(s.baseline[path: "model.hidden"] == [1, 2])
    #expect(s.baseline[path: "data.scale"] == .null)
    #expect(s.overrides.map(\.path) == ["model.dropout", "data.name", "model.hidden", "data.scale"])
    let cells = s.cells(trainerIdentity: "t")
    #expect(cells.allSatisfy { $0.config[path: "model.dropout"] == .double(1e-4) })
    // A variant's own setting still wins over an override for its rows.
    let s2 = try spec(demoSpec, overrides: ["model.layers=8"])
    let layers = s2.cells(trainerIdentity: "t").map { ($0.variant, $0.config[path: "model.layers"]!) }
    #expect(layers.allSatisfy { $0.0 == "shallow" ? $0.1 == 2 : $0.1 == 8 })
  }

  @Test func seedsOverrideReplacesTheSeedListAndKeepsCellIdentities() throws {
    let full = try spec(demoSpec)
    let one = try spec(demoSpec, overrides: ["seeds=[2]"])
    #expect(one.seeds == [2])
    let ids = Set(full.cells(trainerIdentity: "t").filter { $0.seed == 2 }.map(\.id))
    #expect(Set(one.cells(trainerIdentity: "t").map(\.id)) == ids)
    func messages(_ value: String) -> [String] {
      do {
        _ = try spec(demoSpec, overrides: ["seeds=\(value)"])
        return []
      } catch let error as SpecErrors {
        return error.errors.map(\.description)
      } catch {
        return ["\(error)"]
      }
    }
    #expect(messages("[1, 1]").contains { $0.hasPrefix("--set:") && $0.contains("seed 1 appears twice") })
    #expect(messages("oops").contains { $0.hasPrefix("--set:") && $0.contains("seeds") })
  }

  @Test func runLimits() throws {
    #expect(try spec(header + "run: {timeout: 600, retries: 2}\n").timeoutSeconds == 600)
    #expect(try spec(header + "run: {timeout: 600, retries: 2}\n").retries == 2)
    #expect(try spec(header + "run: {timeout: 10m}\n").timeoutSeconds == 600)
    #expect(try spec(header + "run: {timeout: 1.5h}\n").timeoutSeconds == 5400)
    #expect(try spec(header).timeoutSeconds == nil)
    #expect(try spec(header).retries == 0)
  }

  @Test func commandTrainersKeepArgumentsAsWritten() throws {
    let s = try spec(
      """
      name: ext
      trainer: {command: [python3, train.py, --epochs, 3, "--lr=1e-4"]}
      baseline: {a: 1}

      """)
    #expect(s.trainer == .command(["python3", "train.py", "--epochs", "3", "--lr=1e-4"]))
    #expect(s.trainerLocation == SourceLocation(file: "spec.yaml", line: 2, column: 10))
    #expect(try spec(demoSpec).trainerLocation == SourceLocation(file: "spec.yaml", line: 4, column: 12))
    #expect(NearestName.hint(for: "lgreg", in: ["logreg", "vlbert"]) == "did you mean 'logreg'?")
  }

  @Test func anchorsAndMergeKeysWork() throws {
    let s = try spec(
      """
      name: anchors
      trainer: {builtin: logreg}
      baseline:
        optim: &opt {lr: 0.1, warmup: 10}
        finetune:
          <<: *opt
          lr: 0.01

      """)
    #expect(s.baseline[path: "finetune"] == ["lr": 0.01, "warmup": 10])
  }

  @Test func splicedSeedJSONMatchesTheConfigsCanonicalJSON() throws {
    let s = try spec(
      """
      name: keys
      trainer: {builtin: x}
      baseline: {a: 1, sed: 2, seeds: [3], sf: "é\\"q\\"", z: {y: 1.5, b: null}, "Seed": true}
      grid: {z.y: [1.5, -2]}
      seeds: [-7, 0, 12345678901]

      """)
    let cells = s.cells(trainerIdentity: "t")
    #expect(cells.count == 6)
    for cell in cells {
      #expect(cell.configHash == SHA256.hex(cell.config.canonicalJSON))
      #expect(cell.id == SHA256.hex(cell.config.canonicalJSON + "\nt"))
    }
    #expect(
      cells[0].config.canonicalJSON
        == #"{"Seed":true,"a":1,"sed":2,"seed":-7,"seeds":[3],"sf":"é\"q\"","z":{"b":null,"y":1.5}}"#)
  }

  /// The example in docs/spec.md (without its `extends:` line).
  @Test func documentedExampleExpands() throws {
    let s = try spec(
      """
      name: table4-ablation
      description: VL-BERT Table 4 analog
      trainer:
        builtin: vlbert
      baseline:
        model: {layers: 4, hidden: 64, dropout: 0.1}
        optim: {lr: 1e-4, warmup: 200}
        pretrain: {mlm: true, mrc: true, sentence_image: false}
      variants:
        - name: no-mrc
          description: without masked RoI classification
          set: {pretrain.mrc: false}
        - name: no-warmup
          unset: [optim.warmup]
        - name: full
      grid:
        optim.lr: [1e-4, 3e-4]
        zip:
          - {model.layers: [2, 4, 8], model.hidden: [32, 64, 128]}
        exclude:
          - {optim.lr: 3e-4, model.layers: 8}
      seeds: [1, 2, 3]
      run: {timeout: 10m, retries: 1}

      """)
    #expect(s.variants.map(\.name) == ["no-mrc", "no-warmup", "full"])
    #expect(s.baselineVariant == "full")
    #expect(s.timeoutSeconds == 600)
    let cells = s.cells(trainerIdentity: "builtin:vlbert@1")
    #expect(cells.count == 3 * 5 * 3)
    #expect(!cells.contains { $0.gridPoint["optim.lr"] == 3e-4 && $0.gridPoint["model.layers"] == 8 })
    #expect(cells[0].variant == "no-mrc" && cells[0].config[path: "pretrain.mrc"] == false)
  }
}
