import Foundation
import World

/// The names of the downstream tasks' metrics, in one place (as `Diagnostic` names the pre-training ones):
/// the report columns of `experiments/*.yaml` and the paper tables name them as these strings.
public enum TaskMetric {
  /// VQA accuracy (the ten-annotator rule) on `split`: `vqa/val`, `vqa/test`.
  public static func vqa(_ split: Split) -> String { "vqa/\(split.rawValue)" }

  /// VCR's three accuracies: answer given question, rationale given question and answer, both right.
  public enum VCRMeasure: String, Sendable, CaseIterable { case q2a, qa2r, q2ar }
  /// `vcr/q2a_val`, `vcr/qa2r_test`, ...
  public static func vcr(_ measure: VCRMeasure, _ split: Split) -> String {
    "vcr/\(measure.rawValue)_\(split.rawValue)"
  }

  /// Which regions RefCOCO+ picks from: the ground-truth boxes or the detector's.
  public enum Regions: String, Sendable, CaseIterable { case gt, det }
  /// `refcoco/gt_val`, `refcoco/det_testA`, ...
  public static func refcoco(_ regions: Regions, _ split: Split) -> String {
    "refcoco/\(regions.rawValue)_\(split.rawValue)"
  }

  /// The majority baseline of a validation metric: `vcr/q2a_val` -> `baseline/vcr_q2a_val`.
  public static func baseline(of metric: String) -> String {
    "baseline/" + metric.replacingOccurrences(of: "/", with: "_")
  }

  /// The splits each task is evaluated on.
  public static let vqaSplits: [Split] = [.val, .test]
  public static let vcrSplits: [Split] = [.val, .test]
  public static let refcocoSplits: [Split] = [.val, .testA, .testB]
}
