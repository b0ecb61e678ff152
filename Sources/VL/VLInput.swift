import NN
import World

/// What an input element is, for attention export and for the heads that read outputs.
public enum ElementKind: String, Sendable, Codable {
  case text, special, visual
}

/// Segments A and B hold sentences; C holds the visual elements.
public enum Segment: Int, Sendable {
  case a = 0, b = 1, c = 2
}

/// One region as the extractor sees it: its 3x16x16 pixels (already zeroed where masked) and its box.
public struct RegionInput: Sendable, Equatable {
  public var patch: [UInt8]
  public var box: [Float]
}

/// One input sequence in the paper's layout, `[CLS] a [SEP] (b [SEP]) [IMG]... [END]`, split in a text
/// part and a visual part (the two streams of ViLBERT; one sequence for the single-stream models).
public struct VLSequence: Sendable {
  public var tokens: [Int] = []
  public var segments: [Int] = []
  public var positions: [Int] = []
  public var kinds: [ElementKind] = []
  /// Number of elements of the text part (`[CLS] ... [SEP]`); the rest are visual.
  public var textCount = 0
  /// The whole image (carried by text and special elements), or nil for a text-only sample.
  public var whole: RegionInput?
  /// The RoIs, one per `[IMG]` element.
  public var regions: [RegionInput] = []

  public var count: Int { tokens.count }

  /// Token ids beyond the vocabulary for the two visual special elements.
  public static func imgID(_ vocabulary: Vocabulary) -> Int { vocabulary.count }
  public static func endID(_ vocabulary: Vocabulary) -> Int { vocabulary.count + 1 }

  /// Builds the layout: sentence `a` (segment A), optional sentence `b` (segment B), then, when an image is
  /// given, one `[IMG]` per region and `[END]` (segment C). All visual elements share one position.
  public init(
    a: [Int], b: [Int]? = nil, whole: RegionInput?, regions: [RegionInput], vocabulary v: Vocabulary
  ) {
    func add(_ token: Int, _ segment: Segment, _ kind: ElementKind) {
      positions.append(tokens.count)
      tokens.append(token)
      segments.append(segment.rawValue)
      kinds.append(kind)
    }
    add(v.clsID, .a, .special)
    for t in a { add(t, .a, t == v.maskID ? .special : .text) }
    add(v.sepID, .a, .special)
    if let b {
      for t in b { add(t, .b, t == v.maskID ? .special : .text) }
      add(v.sepID, .b, .special)
    }
    textCount = tokens.count
    self.whole = whole
    guard whole != nil else { return }
    self.regions = regions
    let visualPosition = textCount
    for _ in regions {
      tokens.append(Self.imgID(v))
      segments.append(Segment.c.rawValue)
      positions.append(visualPosition)
      kinds.append(.visual)
    }
    tokens.append(Self.endID(v))
    segments.append(Segment.c.rawValue)
    positions.append(visualPosition + 1)
    kinds.append(.special)
  }

  /// Index of the element of region `r`.
  public func regionElement(_ r: Int) -> Int { textCount + r }
}

/// A padded batch: every sequence's text part padded to `textLength`, its visual part to `visualLength`.
public struct VLBatch {
  public var size: Int
  public var textLength: Int
  public var visualLength: Int
  public var length: Int { textLength + visualLength }
  public var tokens: [Int]
  public var segments: [Int]
  public var positions: [Int]
  /// Per element: a row of `patches` (>= 0), `textOnly` (the learned visual embedding) or `none` (padding).
  public var visualRows: [Int]
  public var patches: [UInt8]
  public var boxes: [Float]
  /// Which rows of `patches` are whole images (the rest are RoIs).
  public var isWhole: [Bool]
  /// Additive key mask `[B, N]`: 0 for real elements, -1e4 for padding.
  public var keyMask: Tensor
  public var valid: [Bool]

  public static let textOnly = -1
  public static let none = -2

  /// Flat index of element `i` of sequence `b` (text part first).
  public func flatIndex(_ b: Int, _ element: Int, _ s: VLSequence) -> Int {
    element < s.textCount ? b * length + element : b * length + textLength + (element - s.textCount)
  }

  public init(_ sequences: [VLSequence], padID: Int) {
    size = sequences.count
    textLength = sequences.map(\.textCount).max() ?? 0
    visualLength = sequences.map { $0.count - $0.textCount }.max() ?? 0
    let n = textLength + visualLength
    tokens = Array(repeating: padID, count: size * n)
    segments = Array(repeating: 0, count: size * n)
    positions = Array(repeating: 0, count: size * n)
    visualRows = Array(repeating: Self.none, count: size * n)
    valid = Array(repeating: false, count: size * n)
    patches = []
    boxes = []
    isWhole = []
    var mask = [Float](repeating: -1e4, count: size * n)
    var rows = 0
    for (b, s) in sequences.enumerated() {
      var wholeRow = Self.textOnly
      if let whole = s.whole {
        patches += whole.patch
        boxes += whole.box
        isWhole.append(true)
        wholeRow = rows
        rows += 1
      }
      let firstRegion = rows
      for r in s.regions {
        patches += r.patch
        boxes += r.box
        isWhole.append(false)
        rows += 1
      }
      for e in 0..<s.count {
        let k = e < s.textCount ? b * n + e : b * n + textLength + (e - s.textCount)
        tokens[k] = s.tokens[e]
        segments[k] = s.segments[e]
        positions[k] = s.positions[e]
        valid[k] = true
        mask[k] = 0
        if s.kinds[e] == .visual {
          visualRows[k] = firstRegion + (e - s.textCount)
        } else {
          visualRows[k] = wholeRow
        }
      }
    }
    keyMask = Tensor(mask, shape: [size, n])
  }
}

/// An element of one sequence of a batch: where a head reads an output.
public struct BatchPosition: Sendable, Hashable {
  /// The sequence's index in the batch.
  public var sequence: Int
  /// The element's index in its sequence (`VLSequence`'s order: text part first).
  public var element: Int
}

extension VLBatch {
  /// Flat index of `position`, in a batch built from `sequences`.
  public func flatIndex(_ position: BatchPosition, in sequences: [VLSequence]) -> Int {
    flatIndex(position.sequence, position.element, sequences[position.sequence])
  }
}
