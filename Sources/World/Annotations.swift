/// The annotation records of every dataset, one JSON line each in an export.

/// A dataset split. RefCOCO+ uses `testA` (people scenes) and `testB` (things scenes) instead of `test`.
public enum Split: String, Codable, Sendable, CaseIterable, Comparable {
  case train, val, test, testA, testB
  public static func < (a: Split, b: Split) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// The world's datasets; each image belongs to exactly one of them and one split.
public enum DatasetName: String, Codable, Sendable, CaseIterable {
  case captions, text, vqa, vcr, refcoco
}

/// An image of the world and where it belongs.
public struct ImageRecord: Codable, Hashable, Sendable {
  public var id: Int
  public var dataset: DatasetName
  public var split: Split
  public var kind: SceneKind
  /// Ground-truth objects (boxes in pixels, attributes), for inspection and the RefCOCO+ ground-truth regions.
  public var objects: [SceneObject]
}

/// A Conceptual Captions analog: one short caption about an image; `aligned` is false for the
/// captions that, as on the web, do not describe their image.
public struct CaptionSample: Codable, Hashable, Sendable {
  public var id: String
  public var image: Int
  public var split: Split
  public var caption: String
  public var aligned: Bool
}

/// A BooksCorpus analog: a long sentence (or two), no image.
public struct TextSample: Codable, Hashable, Sendable {
  public var id: String
  public var split: Split
  public var text: String
}

/// A VQA v2 analog: a question and ten annotators' answers from a shared answer set.
public struct VQASample: Codable, Hashable, Sendable {
  public var id: String
  public var image: Int
  public var split: Split
  public var type: String
  public var question: String
  /// Ten annotators' answers; the soft score of an answer is min(#agree / 3, 1).
  public var answers: [String]
  /// The answer true to the scene (what a perfect annotator says).
  public var truth: String

  /// The VQA soft score of `answer` against the ten annotators.
  public func score(_ answer: String) -> Float {
    min(Float(answers.filter { $0 == answer }.count) / 3, 1)
  }
}

/// A VCR analog: a question, four answers, four rationales; Q->A picks the answer, QA->R the rationale.
public struct VCRSample: Codable, Hashable, Sendable {
  public var id: String
  public var image: Int
  public var split: Split
  public var type: String
  public var question: String
  public var answers: [String]
  public var answerLabel: Int
  public var rationales: [String]
  public var rationaleLabel: Int
  /// The object the question is about, as an index into the image's ground-truth objects.
  public var object: Int
}

/// A RefCOCO+ analog: an appearance-only expression naming exactly one ground-truth object.
public struct RefSample: Codable, Hashable, Sendable {
  public var id: String
  public var image: Int
  public var split: Split
  public var expression: String
  /// Index into the image's ground-truth objects.
  public var target: Int
  /// The target's box, normalized x1, y1, x2, y2 (a prediction is correct at IoU >= 0.5).
  public var box: [Float]
}
