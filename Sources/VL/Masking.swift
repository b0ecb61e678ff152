import NN
import World

/// BERT's masking of words and VL-BERT's masking of RoIs, drawn from the cell's random stream.
public enum Masking {
  /// Picks each word with probability `rate`; a picked word becomes `[MASK]` (80%), a random word (10%) or
  /// stays (10%). Returns the new tokens and the labels (-1 where not picked). Special ids are never picked.
  /// Words in `emphasis` are picked with `emphasisRate` instead (e.g. the words an image can tell).
  public static func maskWords(
    _ tokens: [Int], rate: Float = 0.15, vocabulary v: Vocabulary, generator g: RandomGenerator,
    emphasis: Set<Int> = [], emphasisRate: Float = 0.15
  ) -> (tokens: [Int], labels: [Int]) {
    var out = tokens
    var labels = [Int](repeating: -1, count: tokens.count)
    let firstWord = Vocabulary.specials.count
    for i in tokens.indices
    where tokens[i] >= firstWord && g.uniform() < (emphasis.contains(tokens[i]) ? emphasisRate : rate) {
      labels[i] = tokens[i]
      let r = g.uniform()
      if r < 0.8 {
        out[i] = v.maskID
      } else if r < 0.9 {
        out[i] = firstWord + g.int(below: v.count - firstWord)
      }
    }
    return (out, labels)
  }

  /// Which of `count` RoIs to mask, each with probability `rate`.
  public static func pickRegions(_ count: Int, rate: Float = 0.15, generator g: RandomGenerator) -> [Bool] {
    (0..<count).map { _ in g.uniform() < rate }
  }

  /// Zeroes, in a patch cropped from `box`, every pixel whose image position falls inside `masked`
  /// (normalized x1, y1, x2, y2): the paper sets a masked RoI's pixels to zero before the extractor, so
  /// neither the RoI itself, nor overlapping RoIs, nor the whole image shows what was there.
  public static func zero(_ patch: inout [UInt8], croppedFrom box: [Float], inside masked: [Float]) {
    let side = Patch.side
    let plane = side * side
    let (w, h) = (box[2] - box[0], box[3] - box[1])
    for py in 0..<side {
      let y = box[1] + (Float(py) + 0.5) / Float(side) * h
      guard y >= masked[1] && y <= masked[3] else { continue }
      for px in 0..<side {
        let x = box[0] + (Float(px) + 0.5) / Float(side) * w
        guard x >= masked[0] && x <= masked[2] else { continue }
        for c in 0..<3 { patch[c * plane + py * side + px] = 0 }
      }
    }
  }

  /// The regions and whole image of one image with the pixels of every masked region zeroed. With `ownCropOnly`
  /// only the masked RoI's own crop is zeroed, so overlapping RoIs and the whole image still show it: a
  /// measurement of what the paper's leak guard costs (docs/world.md), not the paper's masking.
  public static func apply(
    mask: [Bool], whole: RegionInput, regions: [RegionInput], ownCropOnly: Bool = false
  ) -> (whole: RegionInput, regions: [RegionInput]) {
    var whole = whole
    var regions = regions
    for (m, isMasked) in mask.enumerated() where isMasked {
      let box = regions[m].box
      if !ownCropOnly {
        zero(&whole.patch, croppedFrom: whole.box, inside: box)
        for r in regions.indices { zero(&regions[r].patch, croppedFrom: regions[r].box, inside: box) }
      }
      // The masked RoI's own crop lies inside its box: it is all zero.
      regions[m].patch = [UInt8](repeating: 0, count: regions[m].patch.count)
    }
    return (whole, regions)
  }

  /// Ids of the words a picture can tell: categories (singular and plural), colours, textures and sizes.
  public static func visualWords(_ v: Vocabulary) -> Set<Int> {
    var words = Category.allCases.flatMap { [$0.word, $0.plural] }
    words += Colour.allCases.map(\.word) + Texture.allCases.map(\.word) + SizeClass.allCases.map(\.word)
    return Set(words.map(v.id)).subtracting([v.unknownID])
  }
}
