import Foundation
import Orchestrator
import Spec
import TestSupport
import Testing
import VL
import World

@testable import Trainers

/// Stage identities are pinned: cached stages (and the tables run from them) are found only while every
/// stage's config encodes to the same bytes, so a refactor of the pipeline must leave these hex strings be.
/// Computed at 686b038 (code version vlbert-3) on the smoke world of seed 0.
@Suite struct StageIdentityTests {
  /// Table 4's resolved baseline at `world.scale=smoke`, changed by `set`.
  static func settings(_ set: [String: ConfigValue] = [:]) throws -> VLSettings {
    var config: [String: ConfigValue] = [
      "world": ["scale": "smoke", "seed": 0, "version": 2], "model": ["arch": "vlbert", "size": "base"],
      "bert_init": true,
      "pretrain": [
        "enabled": true, "mlm_visual_clues": true, "mrc_linguistic_clues": true,
        "sentence_image_relation": false, "text_only_corpus": true, "tune_extractor": true,
        "early_fusion": true,
      ],
      "finetune": ["tasks": ["vcr", "vqa", "refcoco"], "epoch_scale": 0.5],
      "train": ["finetune_lr": 3.0e-4], "seed": 1,
    ]
    for (path, value) in set {
      config = Self.setting(config, path.split(separator: ".").map(String.init), value)
    }
    return try VLBERTTrainer().settings(from: .object(config))
  }

  static func setting(_ config: [String: ConfigValue], _ path: [String], _ value: ConfigValue) -> [String:
    ConfigValue]
  {
    var config = config
    guard path.count > 1 else {
      config[path[0]] = value
      return config
    }
    guard case .object(let inner)? = config[path[0]] else {
      config[path[0]] = .object(setting([:], Array(path.dropFirst()), value))
      return config
    }
    config[path[0]] = .object(setting(inner, Array(path.dropFirst()), value))
    return config
  }

  /// Every stage identity of one cell, by stage name, chained as the pipeline chains them.
  static func identities(_ settings: VLSettings) throws -> [String: String] {
    let dir = try TemporaryDirectory()
    let pipeline = VLPipeline(
      settings: settings, view: SmokeWorld.view, cache: try StageCache(root: dir.url),
      metrics: RecordingSink())
    var out: [String: String] = [:]
    var upstream: String? = nil
    if settings.bertInit {
      upstream = try pipeline.identity("bert_init", config: pipeline.bertInitConfig, input: nil)
      out["bert_init"] = upstream
    }
    if settings.pretrain.enabled {
      upstream = try pipeline.identity(
        "pretrain", config: pipeline.pretrainConfig, input: upstream ?? "scratch")
      out["pretrain"] = upstream
    }
    for task in settings.tasks {
      out[task.rawValue] = try pipeline.identity(
        task.rawValue, config: pipeline.fineTuneConfig(task), input: upstream ?? "scratch")
    }
    return out
  }

  static let cases: [(name: String, set: [String: ConfigValue])] = [
    ("baseline", [:]),
    ("no-pretrain", ["pretrain.enabled": false]),
    (
      "c-sir",
      [
        "pretrain.sentence_image_relation": true, "pretrain.text_only_corpus": false,
        "pretrain.tune_extractor": false,
      ]
    ),
    ("no-bert-init", ["bert_init": false]),
    (
      "naming",
      ["pretrain.region_naming": true, "pretrain.region_attributes": true, "pretrain.visual_word_rate": 0.5]
    ),
    ("recipe-legacy", ["train.recipe": "legacy"]),
    ("v1-paper", ["world.version": 1, "train.recipe": "paper"]),
    ("v1", ["world.version": 1]),
    ("fraction", ["finetune.data_fraction": 0.25]),
    ("vcr-adamw", ["train.vcr_optimizer": "adamw", "seed": 2]),
    ("visualbert", ["model.arch": "visualbert", "pretrain.early_fusion": false]),
    ("vilbert-large", ["model.arch": "vilbert", "model.size": "large"]),
  ]

  /// Printed by the pipeline at 686b038 (before stage configs were refactored); table 4's baseline, no-pretrain
  /// and c-sir identities are the stage directories main's binary wrote for the smoke run.
  static let pinned: [String: [String: String]] = [
    "baseline": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "pretrain": "f83a39d117515a7e5bbf4a8cf87867654ef44fea25be4b5e43725f804fbe61cb",
      "refcoco": "8c61c7d684816cec1d67719b6462474cad6913f053b6ea43f33ea8d39d6ae30c",
      "vcr": "a4cccca31625415fc2386284b80289a71b720939dfa6c03f8a0d07aa2acf3c48",
      "vqa": "ba1e7d623413fe611670dc16db681f90fa9d6d54bb05f1b2e044f8b2f7c11682",
    ],
    "no-pretrain": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "refcoco": "b6364e08ee1b1b81e1f6465af0ad947dd389c7d048cf33596b27bb4f4717f2ff",
      "vcr": "4065a465fb25d4ae1c2075537a39e5b864f431a8f578a5f542275c17dffe0dcc",
      "vqa": "09fda0f57f4b92312e230dcd530eef378a45d9cba56d600c79cffaefc959419d",
    ],
    "c-sir": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "pretrain": "875155da018e1ab826c313cda24eeec2be8386a4b1e4447dffa40c45db56df89",
      "refcoco": "652ed62c4857259b458b61ef68c4b58e2bf270a883b50cfdc9e696266640ff34",
      "vcr": "85417f4421f4a3048ddc5b42d92c72834d84307ac07f7e7364861fab48dbf33d",
      "vqa": "a2662c72e37ad8f2d8c199d80678b13f9608a4f2b452c96366d6881e6cc7ed29",
    ],
    "no-bert-init": [
      "pretrain": "14bdd4a0fd7c01dae22e4f289a890e49a8b892e100316e5ff4d2987352bd8c70",
      "refcoco": "c5af104d6c3826d2ba7b96dcdf98f6fdbbf09688f2ce993987c1506266fab790",
      "vcr": "4de646b338b74c1805507d4de8d952c75e27cfd6f20bf7654964522048a6715d",
      "vqa": "2cd2445661da0f273c4d23012a923364401854722c923a9b4b36cd5e319633d5",
    ],
    "naming": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "pretrain": "789e811fe92e582dbc1f6db5818d2b20706731a7d5fdfa0ccd1e21280bdb560a",
      "refcoco": "801f45007afb365f3c9fe5807576438f9aa3c1fdd2094fbe1bdb14ddb7f4b369",
      "vcr": "d14a759a58f8c622aebe77bb0ddc7b028dd7030a5347f1b80483d58d2d3f2209",
      "vqa": "e8bc7da65b3e5f4606fb884ebb2cc5072fed2508a0305936f311527f839b19cc",
    ],
    "recipe-legacy": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "pretrain": "f83a39d117515a7e5bbf4a8cf87867654ef44fea25be4b5e43725f804fbe61cb",
      "refcoco": "4a17c7dc16ae32553015de64761efa6faf84061345381bba7c0931b81d36c9fc",
      "vcr": "de815d0c73f3ac7cd7688eeef27a77f0eb7d66ac6b4cc29c446953f5307db23d",
      "vqa": "26da7f2fa6e8e7efc83bd14a4f371fb175c80a3e003a1e0aee3469ad2a99639c",
    ],
    "v1-paper": [
      "bert_init": "2ae8b66816718ab9e04a6c17854abeb65cd395be552ccdaca1758b3df41db236",
      "pretrain": "5cc5cf35db92205f44b4d5a8d10ed9108df10609583852d22a82e048d24775d9",
      "refcoco": "25f8d0a8d66e190b00731b33b045350e65cdf24272a9b5274e2ec724bfdf2188",
      "vcr": "d35522724b4937098e26f7ff1ad041d168f777535bbb4f69ee8ff82087680adc",
      "vqa": "b59ae325ab03a8a55254938999a405ccb397ec6dc4c43ba3f5f20e485720675d",
    ],
    "v1": [
      "bert_init": "2ae8b66816718ab9e04a6c17854abeb65cd395be552ccdaca1758b3df41db236",
      "pretrain": "5cc5cf35db92205f44b4d5a8d10ed9108df10609583852d22a82e048d24775d9",
      "refcoco": "ed3b741ae0883413cb41a2f41d115800d205f276cce8d13a47cda8431d91db42",
      "vcr": "ffb14dd2577643cefaef336e0a68c39acd6c4755001230696ba6748d3e8884a2",
      "vqa": "268efc5ade9f7aac75bb0e9d66e6fd43bd72b7e894fb05efa923800843c5f13f",
    ],
    "fraction": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "pretrain": "f83a39d117515a7e5bbf4a8cf87867654ef44fea25be4b5e43725f804fbe61cb",
      "refcoco": "cfe6bb1714dd1db7fe098fb7d5e1db4162c545c030ebcd821445d2766b15ca05",
      "vcr": "fc737913016e9aaa5bbe7f0c3a584d8ec49b4301d7f6168b89c5c662d1d8cdef",
      "vqa": "cda64e3e33b10eb2044faaf5059d7cd1be0c2f7e6d1a2a861040e24363ba76cf",
    ],
    "vcr-adamw": [
      "bert_init": "b8cf9c17e592eabb20455630f7acefba6382ad36046527fce50d649dc3b96f68",
      "pretrain": "71548397b5b9178cef8aced3ee58f0ada95662dab20a869e75f9e0df19ba2520",
      "refcoco": "2c1ecabb4a5c41e0e792d52bb1f711fd2fcd1041e3f53cb0fdd4a7395bd5b293",
      "vcr": "2b8efebf39556158d289aa31569bc2a5119f40229509d0fc3ab7e0344fde0b44",
      "vqa": "6fa42a7b3c8aed8c18088c18955430a2a5a076d72ccb6ff8bf5e28092aace39a",
    ],
    "visualbert": [
      "bert_init": "ec7d1a7934e635edd40e1b1a0cdf97f9a5d5dc2e08478871bdcb72a24cb1ca60",
      "pretrain": "b28da0cd5a35b4a7aa311facad4459afbcd5c43818d55884cd78797dca905a8a",
      "refcoco": "29b5fd216b3944216662a4e2a998bea3cb3d3defc2e5286a1280053ff8c3e387",
      "vcr": "f0cfbc7952f888dd020824dcd1be8bad8b7ade69d1947a76a88d560421fc0266",
      "vqa": "797dc221f6f4d0e13dbd274d5280c1108e5a02a945dcac62b8dd939986ec78f3",
    ],
    "vilbert-large": [
      "bert_init": "fbb095b18c5a7cec6967c623df7c91972f276bb633cec0059b279f443136c652",
      "pretrain": "9ad1f92776505e4ccb21b2432a45b67c9ca898e6eb26a8ed3213012846d5675f",
      "refcoco": "89dde9638929ee808727d63d396c75e514bfb7878258a13d1c21c1f38e4ed6f1",
      "vcr": "9a9d791010ad85b8717ae2334e6ed18a544acbc75544006d42206903fc1f3272",
      "vqa": "fe338ab0e433cfc6f5dd0b526a31dd93e8bd6c66fb7bd54c8894b42b34105cd9",
    ],
  ]

  @Test(arguments: cases.map(\.name)) func identitiesStayAsPinned(name: String) throws {
    let set = try #require(Self.cases.first { $0.name == name }).set
    #expect(try Self.identities(Self.settings(set)) == Self.pinned[name])
  }
}
