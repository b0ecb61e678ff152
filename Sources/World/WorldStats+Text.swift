import Foundation

extension WorldStats {
  /// The report as plain text for a terminal.
  public var text: String {
    func f(_ x: Double) -> String { String(format: "%.3f", x) }
    func pct(_ x: Double) -> String { String(format: "%5.1f%%", 100 * x) }
    var out = "world \(name) (version \(version)): vocabulary \(vocabulary) tokens\n\n"
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
    out += "\nunique training captions per fine-tuning training item (paper's ratio)\n"
    for r in ratios {
      out +=
        r.task.padding(toLength: 8, withPad: " ", startingAt: 0)
        + String(format: " %6d items  %6.1fx  (paper %.1fx)\n", r.trainItems, r.captionsPerItem, r.paper)
    }
    out +=
      "\nconcepts in training images  objects  category-colour pairs of 96 (met 10+ times)  triples of 384\n"
    for c in coverage {
      out +=
        c.dataset.padding(toLength: 27, withPad: " ", startingAt: 0)
        + String(
          format: " %8d  %25d (%3d)  %14d\n", c.objects, c.categoryColourPairs, c.pairsSeenTenTimes, c.triples
        )
    }
    out += "\nbaselines                 chance  majority  text-only\n"
    for b in baselines {
      out +=
        b.task.padding(toLength: 24, withPad: " ", startingAt: 0) + "  \(pct(b.chance))  \(pct(b.majority))"
      out += b.textOnly.map { "   \(pct($0))  (\(b.textOnlyName ?? ""))" } ?? ""
      out += "   [\(b.metric)]\n"
    }
    if let d = detector {
      let recipe =
        d.colourAccuracy == nil
        ? "grey crops, trained on categories only"
        : "colour crops of the detection set, category, colour and texture heads"
      out +=
        "\ndetector (768-256-256 MLP + classifier, \(recipe); \(d.trainingRegions) regions, \(d.epochs) epochs, loss \(f(Double(d.finalLoss))))\n"
      out +=
        "  category accuracy, held-out ground-truth boxes: \(pct(Double(d.categoryAccuracy)))  (chance \(pct(1.0 / 12)))\n"
      out += "  object vs background accuracy:                  \(pct(Double(d.objectnessAccuracy)))\n"
      out +=
        "  colour linear probe: features \(pct(Double(d.colourProbe))), raw pixels \(pct(Double(d.colourProbePixels)))  (chance \(pct(1.0 / 8)))\n"
      out +=
        "  texture linear probe: features \(pct(Double(d.textureProbe))), raw pixels \(pct(Double(d.textureProbePixels)))  (chance \(pct(1.0 / 4)))\n"
      if let c = d.colourAccuracy, let t = d.textureAccuracy {
        out += "  attribute heads, held-out boxes: colour \(pct(Double(c))), texture \(pct(Double(t)))\n"
      }
      if let s = d.taskDomain {
        out +=
          "  the same boxes photographed as task images (\(s.domain.rawValue) domain): category \(pct(Double(s.categoryAccuracy)))"
        out += s.colourAccuracy.map { ", colour head \(pct(Double($0)))" } ?? ""
        out += s.textureAccuracy.map { ", texture head \(pct(Double($0)))" } ?? ""
        out += ", colour probe \(pct(Double(s.colourProbe)))\n"
      }
    }
    return out
  }
}
