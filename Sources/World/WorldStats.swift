/// What `ablate world stats` reports: sizes, lengths, answer distribution, and for every task the
/// accuracy of chance, of the majority class and of simple text-only baselines, which a model must
/// clearly beat before any result on the world means anything.
public struct WorldStats: Codable, Sendable {
  public struct Count: Codable, Sendable {
    public var dataset: String
    public var split: String
    public var images: Int
    public var samples: Int
  }
  public struct Length: Codable, Sendable {
    public var what: String
    public var meanWords: Double
    public var maxWords: Int
  }
  public struct Baseline: Codable, Sendable {
    public var task: String
    public var metric: String
    public var chance: Double
    public var majority: Double
    /// The best text-only heuristic measured (see `textOnlyName`), when there is one.
    public var textOnly: Double?
    public var textOnlyName: String?
  }

  /// Unique training captions per fine-tuning training item of a task, beside the paper's ratio
  /// (Conceptual Captions' 3.3M captions over VQA's, VCR's and RefCOCO+'s training sets).
  public struct CorpusRatio: Codable, Sendable {
    public var task: String
    public var trainItems: Int
    public var uniqueCaptions: Int
    public var captionsPerItem: Double
    public var paper: Double
  }
  /// How much of the concept space the objects of a dataset's training images cover.
  public struct Coverage: Codable, Sendable {
    public var dataset: String
    public var objects: Int
    /// Distinct (category, colour) pairs among its objects, of 96.
    public var categoryColourPairs: Int
    /// Pairs met at least 10 times: what a model could learn the pair's look from.
    public var pairsSeenTenTimes: Int
    /// Distinct (category, colour, texture) triples, of 384.
    public var triples: Int
  }

  public static let paperCaptionsPerItem: [String: Double] = ["vqa": 7.4, "vcr": 11, "refcoco": 23]

  public var name: String
  public var version: Int
  public var vocabulary: Int
  public var counts: [Count]
  public var lengths: [Length]
  public var answerShares: [String: Double]
  public var alignedCaptionShare: Double
  public var detectedRegionsPerImage: Double
  public var groundTruthRegionsPerImage: Double
  /// Share of RefCOCO+ test targets that some detected region covers at IoU >= 0.5.
  public var detectedRecall: Double
  public var baselines: [Baseline]
  public var detector: DetectorReport?
  public var ratios: [CorpusRatio]
  public var coverage: [Coverage]
}

extension WorldData {
  public func stats() -> WorldStats {
    var counts: [WorldStats.Count] = []
    func count(_ dataset: DatasetName, _ samples: [(Split, Int)]) {
      for split in Split.allCases {
        let imgs = Set(samples.filter { $0.0 == split }.map(\.1))
        let n = samples.filter { $0.0 == split }.count
        if n > 0 {
          counts.append(
            .init(dataset: dataset.rawValue, split: split.rawValue, images: imgs.count, samples: n))
        }
      }
    }
    count(.captions, captions.map { ($0.split, $0.image) })
    count(.text, text.enumerated().map { ($0.element.split, -1 - $0.offset) })
    count(.vqa, vqa.map { ($0.split, $0.image) })
    count(.vcr, vcr.map { ($0.split, $0.image) })
    count(.refcoco, refcoco.map { ($0.split, $0.image) })
    for i in counts.indices where counts[i].dataset == "text" { counts[i].images = 0 }

    func length(_ what: String, _ texts: [String]) -> WorldStats.Length {
      let n = texts.map { Vocabulary.words($0).count }
      return .init(
        what: what, meanWords: n.isEmpty ? 0 : Double(n.reduce(0, +)) / Double(n.count),
        maxWords: n.max() ?? 0)
    }
    let lengths = [
      length("caption", captions.map(\.caption)),
      length("text-only sentence", text.map(\.text)),
      length("vqa question", vqa.map(\.question)),
      length("vcr Q->A (question + answer)", vcr.map { $0.question + " " + $0.answers[$0.answerLabel] }),
      length(
        "vcr QA->R (question + answer + rationale)",
        vcr.map { $0.question + " " + $0.answers[$0.answerLabel] + " " + $0.rationales[$0.rationaleLabel] }),
      length("refcoco expression", refcoco.map(\.expression)),
    ]

    var shares: [String: Double] = [:]
    for q in vqa { shares[q.truth, default: 0] += 1 }
    for k in shares.keys { shares[k]! /= Double(max(vqa.count, 1)) }

    let detectedPerImage = Double(detected.count) / Double(max(detected.imageCount, 1))
    let gtPerImage = Double(groundTruth.count) / Double(max(groundTruth.imageCount, 1))
    let refTest = refcoco.filter { $0.split != .train && $0.split != .val }
    let covered = refTest.filter { r in
      detected.rows(of: r.image).contains { WorldData.iou(detected.box($0), r.box) >= 0.5 }
    }.count
    return WorldStats(
      name: name, version: version.rawValue, vocabulary: vocabulary.count, counts: counts, lengths: lengths,
      answerShares: shares,
      alignedCaptionShare: Double(captions.filter(\.aligned).count) / Double(max(captions.count, 1)),
      detectedRegionsPerImage: detectedPerImage, groundTruthRegionsPerImage: gtPerImage,
      detectedRecall: refTest.isEmpty ? 0 : Double(covered) / Double(refTest.count),
      baselines: baselines(), detector: detectorReport, ratios: ratios(), coverage: coverage())
  }

  /// Unique training captions per training item of each fine-tuning task.
  public func ratios() -> [WorldStats.CorpusRatio] {
    let unique = Set(captions.filter { $0.split == .train }.map(\.caption)).count
    let items = [
      ("vqa", vqa.filter { $0.split == .train }.count), ("vcr", vcr.filter { $0.split == .train }.count),
      ("refcoco", refcoco.filter { $0.split == .train }.count),
    ]
    return items.map { task, n in
      WorldStats.CorpusRatio(
        task: task, trainItems: n, uniqueCaptions: unique,
        captionsPerItem: Double(unique) / Double(max(n, 1)),
        paper: WorldStats.paperCaptionsPerItem[task]!)
    }
  }

  /// Concept coverage of the training images of captions and of each fine-tuning set.
  public func coverage() -> [WorldStats.Coverage] {
    DatasetName.allCases.filter { $0 != .text }.map { dataset in
      let objects = images.filter { $0.dataset == dataset && $0.split == .train }.flatMap(\.objects)
      var pairs: [[Int]: Int] = [:]
      for o in objects { pairs[[o.category.rawValue, o.colour.rawValue], default: 0] += 1 }
      return WorldStats.Coverage(
        dataset: dataset.rawValue, objects: objects.count, categoryColourPairs: pairs.count,
        pairsSeenTenTimes: pairs.values.filter { $0 >= 10 }.count,
        triples: Set(objects.map { [$0.category.rawValue, $0.colour.rawValue, $0.texture.rawValue] }).count)
    }
  }

  static func iou(_ a: [Float], _ b: [Float]) -> Float {
    Box(corners: a).iou(Box(corners: b))
  }

  static func mostCommon<T: Hashable & Comparable>(_ xs: [T]) -> T? {
    var c: [T: Int] = [:]
    for x in xs { c[x, default: 0] += 1 }
    return c.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
  }

  func baselines() -> [WorldStats.Baseline] {
    var out: [WorldStats.Baseline] = []
    let isTest: (Split) -> Bool = { $0 == .test || $0 == .testA || $0 == .testB }

    // VQA: soft score. Majority = the most common training answer; text-only = the most common
    // training answer for the exact same question text (else for its first three words).
    let train = vqa.filter { $0.split == .train }
    let test = vqa.filter { isTest($0.split) }
    if !test.isEmpty, let top = WorldData.mostCommon(train.map(\.truth)) {
      var byQuestion: [String: [String]] = [:]
      var byPrefix: [String: [String]] = [:]
      for q in train {
        byQuestion[q.question, default: []].append(q.truth)
        byPrefix[Vocabulary.words(q.question).prefix(3).joined(separator: " "), default: []].append(q.truth)
      }
      let chance = test.map { q in answers.map { q.score($0) }.reduce(0, +) / Float(answers.count) }
      let textOnly = test.map { q -> Float in
        let guess =
          byQuestion[q.question].flatMap { WorldData.mostCommon($0) }
          ?? byPrefix[Vocabulary.words(q.question).prefix(3).joined(separator: " ")].flatMap {
            WorldData.mostCommon($0)
          }
          ?? top
        return q.score(guess)
      }
      out.append(
        .init(
          task: "vqa", metric: "soft accuracy (test)", chance: mean(chance),
          majority: mean(test.map { $0.score(top) }),
          textOnly: mean(textOnly), textOnlyName: "most common answer to the same question in train"))
    }

    // VCR: four choices. Majority = the most common correct position; text-only = the choice
    // sharing most words with the question (and answer), first on ties.
    let vcrTrain = vcr.filter { $0.split == .train }
    let vcrTest = vcr.filter { isTest($0.split) }
    if !vcrTest.isEmpty {
      func overlap(_ context: String, _ options: [String]) -> Int {
        let c = Set(Vocabulary.words(context))
        let scores = options.map { Set(Vocabulary.words($0)).intersection(c).count }
        return scores.firstIndex(of: scores.max()!)!
      }
      let aMajority = WorldData.mostCommon(vcrTrain.map(\.answerLabel)) ?? 0
      let rMajority = WorldData.mostCommon(vcrTrain.map(\.rationaleLabel)) ?? 0
      let qa = vcrTest.map { overlap($0.question, $0.answers) == $0.answerLabel ? 1.0 : 0 }
      let qar = vcrTest.map {
        overlap($0.question + " " + $0.answers[$0.answerLabel], $0.rationales) == $0.rationaleLabel ? 1.0 : 0
      }
      out.append(
        .init(
          task: "vcr Q->A", metric: "accuracy (test)", chance: 0.25,
          majority: mean(vcrTest.map { $0.answerLabel == aMajority ? 1.0 : 0 }), textOnly: mean(qa),
          textOnlyName: "answer with most words in common with the question"))
      out.append(
        .init(
          task: "vcr QA->R", metric: "accuracy (test)", chance: 0.25,
          majority: mean(vcrTest.map { $0.rationaleLabel == rMajority ? 1.0 : 0 }), textOnly: mean(qar),
          textOnlyName: "rationale with most words in common with question and answer"))
      out.append(
        .init(
          task: "vcr Q->AR", metric: "accuracy (test)", chance: 0.0625,
          majority: mean(
            vcrTest.map { $0.answerLabel == aMajority && $0.rationaleLabel == rMajority ? 1.0 : 0 }),
          textOnly: mean(zip(qa, qar).map { $0 * $1 }), textOnlyName: "both overlap heuristics"))
    }

    // RefCOCO+: pick one region; chance is one over the regions, majority the largest region.
    for split in [Split.val, .testA, .testB] {
      let refs = refcoco.filter { $0.split == split }
      guard !refs.isEmpty else { continue }
      let chance = refs.map { r -> Double in
        let rows = groundTruth.rows(of: r.image)
        return 1 / Double(max(rows.count, 1))
      }
      let largest = refs.map { r -> Double in
        let rows = groundTruth.rows(of: r.image)
        let area = rows.map { row -> Float in
          let b = groundTruth.box(row)
          return (b[2] - b[0]) * (b[3] - b[1])
        }
        guard let best = area.indices.max(by: { area[$0] < area[$1] }) else { return 0 }
        return WorldData.iou(groundTruth.box(rows.lowerBound + best), r.box) >= 0.5 ? 1 : 0
      }
      out.append(
        .init(
          task: "refcoco+ \(split.rawValue)", metric: "accuracy, ground-truth regions", chance: mean(chance),
          majority: mean(largest), textOnly: nil, textOnlyName: nil))
    }

    // Sentence-image relation: a caption and a random image of another split half the time.
    if !captions.isEmpty {
      out.append(
        .init(
          task: "caption-image relation", metric: "accuracy (balanced pairs)", chance: 0.5, majority: 0.5,
          textOnly: nil, textOnlyName: nil))
    }
    return out
  }
}

func mean<T: BinaryFloatingPoint>(_ xs: [T]) -> Double {
  xs.isEmpty ? 0 : Double(xs.reduce(0, +)) / Double(xs.count)
}
