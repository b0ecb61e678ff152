import NN
import World

/// The paper's metrics, on hand-checkable inputs.
public enum VLMetrics {
  /// VQA accuracy of `answer` against ten annotators: min(#agree / 3, 1) averaged over the ten subsets of nine.
  public static func vqaAccuracy(_ answer: String, annotators: [String]) -> Double {
    guard !annotators.isEmpty else { return 0 }
    var total = 0.0
    for left in annotators.indices {
      var agree = 0
      for (i, a) in annotators.enumerated() where i != left && a == answer { agree += 1 }
      total += min(Double(agree) / 3, 1)
    }
    return total / Double(annotators.count)
  }

  /// Q->A, QA->R and Q->AR accuracies (percent); Q->AR counts items with both right.
  public static func vcrAccuracies(qa: [Bool], qar: [Bool]) -> (qa: Double, qar: Double, joint: Double) {
    precondition(qa.count == qar.count, "vcrAccuracies: \(qa.count) answers, \(qar.count) rationales")
    let n = Double(max(qa.count, 1))
    let a = Double(qa.filter { $0 }.count)
    let r = Double(qar.filter { $0 }.count)
    let j = Double(zip(qa, qar).filter { $0 && $1 }.count)
    return (100 * a / n, 100 * r / n, 100 * j / n)
  }

  /// Intersection over union of two normalized boxes (x1, y1, x2, y2).
  public static func iou(_ a: [Float], _ b: [Float]) -> Float { Box(corners: a).iou(Box(corners: b)) }

  /// A referring expression is grounded when the picked box overlaps the target at IoU >= 0.5.
  public static func grounded(_ picked: [Float], target: [Float]) -> Bool { iou(picked, target) >= 0.5 }

  static func argmax(_ xs: ArraySlice<Float>) -> Int {
    xs.indices.max(by: { xs[$0] < xs[$1] })! - xs.startIndex
  }
}
