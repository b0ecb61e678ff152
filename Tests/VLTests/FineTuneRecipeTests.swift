import Foundation
import NN
import Testing
import World

@testable import VL

/// The fine-tuning recipes' schedules, on hand-checkable step counts.
@Suite struct FineTuneRecipeTests {
  /// A.2's VCR schedule at 2,000 steps of 100 an epoch: warm-up 1,000 of the paper's 16,641 steps scales to
  /// 120, then 5e-3 until epoch 14, 5e-4 until epoch 18, 5e-5 to the end.
  @Test func vcrWarmsUpThenDecaysAtEpochs14And18() {
    let s = FineTuneRecipe.paper.schedule(
      task: .vcr, optimizer: .sgd, peak: 5e-3, totalSteps: 2000, stepsPerEpoch: 100)
    #expect(s == .warmupStepDecay(base: 5e-3, warmupSteps: 120, milestoneSteps: [1400, 1800], gamma: 0.1))
    #expect(s.learningRate(at: 0) == 0)
    #expect(abs(s.learningRate(at: 60) - 2.5e-3) < 1e-9)
    #expect(s.learningRate(at: 120) == 5e-3)
    #expect(s.learningRate(at: 1399) == 5e-3)
    #expect(abs(s.learningRate(at: 1400) - 5e-4) < 1e-10)
    #expect(abs(s.learningRate(at: 1799) - 5e-4) < 1e-10)
    #expect(abs(s.learningRate(at: 1800) - 5e-5) < 1e-11)
    #expect(abs(s.learningRate(at: 1999) - 5e-5) < 1e-11)
  }

  /// VQA and RefCOCO+ warm up over A.2's share of the paper's steps (2,000 of 34,688; 500 of 9,390), then
  /// decay linearly to 0.
  @Test func adamwTasksWarmUpOverThePapersShare() {
    let vqa = FineTuneRecipe.paper.schedule(
      task: .vqa, optimizer: .adamw, peak: 1e-4, totalSteps: 1000, stepsPerEpoch: 50)
    #expect(vqa == .linearWarmupDecay(peak: 1e-4, warmupSteps: 58, totalSteps: 1000))
    let ref = FineTuneRecipe.paper.schedule(
      task: .refcoco, optimizer: .adamw, peak: 1e-4, totalSteps: 1000, stepsPerEpoch: 50)
    #expect(ref == .linearWarmupDecay(peak: 1e-4, warmupSteps: 53, totalSteps: 1000))
    #expect(FineTuneRecipe.paper.weightDecay == 1e-4)
  }

  /// The legacy recipe is version 1's: SGD x0.1 after two thirds of the whole epochs, AdamW warm-up 10%.
  @Test func legacyKeepsVersionOnesSchedules() {
    #expect(
      FineTuneRecipe.legacy.schedule(
        task: .vcr, optimizer: .sgd, peak: 0.02, totalSteps: 150, stepsPerEpoch: 100)
        == .stepDecay(base: 0.02, milestones: [1], stepsPerEpoch: 100, gamma: 0.1))
    #expect(
      FineTuneRecipe.legacy.schedule(
        task: .vcr, optimizer: .sgd, peak: 0.02, totalSteps: 600, stepsPerEpoch: 100)
        == .stepDecay(base: 0.02, milestones: [4], stepsPerEpoch: 100, gamma: 0.1))
    #expect(
      FineTuneRecipe.legacy.schedule(
        task: .vqa, optimizer: .adamw, peak: 3e-4, totalSteps: 300, stepsPerEpoch: 10)
        == .linearWarmupDecay(peak: 3e-4, warmupSteps: 30, totalSteps: 300))
    #expect(FineTuneRecipe.legacy.weightDecay == 0.01)
  }

  /// A fine-tuning stage trains for the recipe's epochs with the recipe's schedule: VCR's 20 epochs decay
  /// between the last step of epoch 13 and the first of epoch 14.
  @Test func fineTuningUsesTheRecipe() {
    var settings = VLSettings()
    settings.use(.paper)
    let fine = FineTuning(task: .vcr, view: SmokeWorld.view, settings: settings)
    let perEpoch = Double(fine.trainCount) / Double(fine.perStep)
    #expect(fine.steps == Int((20 * perEpoch).rounded(.up)))
    let schedule = fine.schedule(optimizer: .sgd)
    let epoch14 = Int((14 * perEpoch).rounded())
    #expect(schedule.learningRate(at: epoch14 - 1) == 5e-3)
    #expect(abs(schedule.learningRate(at: epoch14) - 5e-4) < 1e-10)
    settings.use(.legacy)
    #expect(
      FineTuning(task: .vcr, view: SmokeWorld.view, settings: settings).steps
        == Int((1.5 * perEpoch).rounded(.up)))
  }
}
