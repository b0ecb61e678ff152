import Foundation

extension WorldStats {
  /// The report as plain text for a terminal.
  public var text: String {
    func f(_ x: Double) -> String { String(format: "%.3f", x) }
    func pct(_ x: Double) -> String { String(format: "%5.1f%%", 100 * x) }
    var out = "world \(name): vocabulary \(vocabulary) tokens\n\n"
    out += "dataset    split   images  samples\n"
    for c in counts {
      out +=
        c.dataset.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
        + c.split.padding(toLength: 6, withPad: " ", startingAt: 0)
        + String(format: " %7d  %7d\n", c.images, c.samples)
    }
    out += "\nwords per sample        mean    max\n"
    for l in lengths {
      out +=
        l.what.padding(toLength: 42, withPad: " ", startingAt: 0)
        + String(format: " %6.1f %5d\n", l.meanWords, l.maxWords)
    }
    out += "\nVQA answers (share of questions, top 10): "
    out +=
      answerShares.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(10)
      .map { "\($0.key) \(pct($0.value))" }.joined(separator: ", ") + "\n"
    out += "captions aligned with their image: \(pct(alignedCaptionShare))\n"
    out +=
      "regions per image: detected \(String(format: "%.1f", detectedRegionsPerImage)), ground truth \(String(format: "%.1f", groundTruthRegionsPerImage))\n"
    out += "RefCOCO+ test targets covered by a detected region (IoU >= 0.5): \(pct(detectedRecall))\n"
    out += "\nbaselines                 chance  majority  text-only\n"
    for b in baselines {
      out +=
        b.task.padding(toLength: 24, withPad: " ", startingAt: 0) + "  \(pct(b.chance))  \(pct(b.majority))"
      out += b.textOnly.map { "   \(pct($0))  (\(b.textOnlyName ?? ""))" } ?? ""
      out += "   [\(b.metric)]\n"
    }
    if let d = detector {
      out +=
        "\ndetector (768-256-256 MLP + classifier, grey crops, trained on categories only; \(d.trainingRegions) regions, \(d.epochs) epochs, loss \(f(Double(d.finalLoss))))\n"
      out +=
        "  category accuracy, held-out ground-truth boxes: \(pct(Double(d.categoryAccuracy)))  (chance \(pct(1.0 / 12)))\n"
      out += "  object vs background accuracy:                  \(pct(Double(d.objectnessAccuracy)))\n"
      out +=
        "  colour linear probe: features \(pct(Double(d.colourProbe))), raw pixels \(pct(Double(d.colourProbePixels)))  (chance \(pct(1.0 / 8)))\n"
      out +=
        "  texture linear probe: features \(pct(Double(d.textureProbe))), raw pixels \(pct(Double(d.textureProbePixels)))  (chance \(pct(1.0 / 4)))\n"
    }
    return out
  }
}
