import NN
import World

/// How the downstream tasks are fine-tuned: epochs, learning rates, warm-up, decay, weight decay
/// (`train.recipe`). A named choice, so the tables run on world version 1 keep the recipe they ran with.
public enum FineTuneRecipe: String, Sendable, CaseIterable, Codable {
  /// The recipe of version 1's tables: AdamW at 3e-4 with 10% warm-up and linear decay (VQA 8 epochs,
  /// RefCOCO+ 20), VCR by SGD at 0.02 for 1.5 epochs, x0.1 after two thirds of them; weight decay 0.01.
  case legacy
  /// The paper's (appendix A.2): 20 epochs of every task; VCR by SGD at 5e-3 (momentum 0.9), linear
  /// warm-up, x0.1 at epochs 14 and 18; VQA and RefCOCO+ by AdamW at 1e-4, linear warm-up and decay;
  /// weight decay 1e-4. Warm-up and decay are A.2's shares of the paper's steps, so they scale with ours.
  case paper

  /// Version 1 keeps the recipe its tables ran with; later versions are fine-tuned as the paper.
  public static func standard(for version: WorldVersion) -> Self { version == .v1 ? .legacy : .paper }

  public var epochs: [FineTuneTask: Double] {
    switch self {
    case .legacy: [.vqa: 8, .vcr: 1.5, .refcoco: 20]
    case .paper: [.vqa: 20, .vcr: 20, .refcoco: 20]
    }
  }

  /// Peak learning rate of AdamW (VQA, RefCOCO+, and VCR when `train.vcr_optimizer: adamw`).
  public var adamwLearningRate: Double { self == .legacy ? 3e-4 : 1e-4 }

  /// Base learning rate of VCR's SGD.
  public var sgdLearningRate: Double { self == .legacy ? 0.02 : 5e-3 }

  public var weightDecay: Float { self == .legacy ? 0.01 : 1e-4 }

  /// A.2's warm-up steps over the paper's total: training items x 20 epochs / 256 a batch. VCR: 1,000 of
  /// 16,641 (213k questions); VQA: 2,000 of 34,688 (444k); RefCOCO+: 500 of 9,390 (120,191 expressions in
  /// the UNC train split; the paper gives 141k over all splits).
  public static func paperWarmupShare(_ task: FineTuneTask) -> Double {
    switch task {
    case .vcr: 1_000.0 / 16_641
    case .vqa: 2_000.0 / 34_688
    case .refcoco: 500.0 / 9_390
    }
  }

  /// VCR's SGD decays x0.1 at epochs 14 and 18 of the paper's 20: at these shares of the steps, whatever
  /// the epochs (Table 4's 0.5x epochs decay at 7 and 9 of 10).
  public static let paperSGDMilestones = [14.0 / 20, 18.0 / 20]

  /// The schedule of `totalSteps` updates of `task` by `optimizer` from `peak`; `stepsPerEpoch` places the
  /// legacy SGD decay.
  public func schedule(
    task: FineTuneTask, optimizer: OptimizerKind, peak: Double, totalSteps total: Int,
    stepsPerEpoch: Int
  ) -> Schedule {
    switch (self, optimizer) {
    case (.legacy, .sgd):
      let epochs = max(1, total / max(1, stepsPerEpoch))
      return .stepDecay(
        base: Float(peak), milestones: [max(1, epochs * 2 / 3)], stepsPerEpoch: stepsPerEpoch, gamma: 0.1)
    case (.legacy, .adamw):
      return .linearWarmupDecay(peak: Float(peak), warmupSteps: max(1, total / 10), totalSteps: total)
    case (.paper, .sgd):
      return .warmupStepDecay(
        base: Float(peak), warmupSteps: paperWarmup(task, totalSteps: total),
        milestoneSteps: Self.paperSGDMilestones.map { Int(($0 * Double(total)).rounded()) }, gamma: 0.1)
    case (.paper, .adamw):
      return .linearWarmupDecay(
        peak: Float(peak), warmupSteps: paperWarmup(task, totalSteps: total), totalSteps: total)
    }
  }

  func paperWarmup(_ task: FineTuneTask, totalSteps: Int) -> Int {
    max(1, Int((Self.paperWarmupShare(task) * Double(totalSteps)).rounded()))
  }
}
