import NN
import World

/// Masked-word accuracy by word class, the sharpest test of grounding: category words can only be told from
/// the image, so their accuracy with the image against the image blanked says whether the model looks at it.
extension Pretraining {
  public enum WordClass: String, CaseIterable, Sendable {
    case category, colour, texture, size, other
  }

  /// Accuracy (percent) per word class on validation captions, every word of every caption masked once, alone
  /// (so each class is measured on all of its occurrences), with `input` as the image part.
  public func wordClassAccuracy(_ model: VLModel, input: Diagnostic.ImageInput) -> [WordClass: Double] {
    let v = view.vocabulary
    var classOf: [Int: WordClass] = [:]
    for c in Category.allCases {
      classOf[v.id(c.word)] = .category
      classOf[v.id(c.plural)] = .category
    }
    for c in Colour.allCases { classOf[v.id(c.word)] = .colour }
    for t in Texture.allCases { classOf[v.id(t.word)] = .texture }
    for s in SizeClass.allCases { classOf[v.id(s.word)] = .size }
    var items: [(caption: CaptionSample, position: Int, word: Int)] = []
    for c in view.world.captions where c.split == .val {
      for (i, w) in view.tokens(c.caption).enumerated() { items.append((c, i, w)) }
    }
    var correct: [WordClass: Int] = [:]
    var total: [WordClass: Int] = [:]
    Autograd.inference {
      for start in stride(from: 0, to: items.count, by: 64) {
        let chunk = items[start..<min(start + 64, items.count)]
        let sequences = chunk.map { item -> VLSequence in
          var tokens = view.tokens(item.caption.caption)
          tokens[item.position] = v.maskID
          return captionSequence(tokens, image: item.caption.image, input: input)
        }
        let predicted = predictedWords(
          model, sequences,
          at: chunk.indices.map { BatchPosition(sequence: $0 - start, element: 1 + chunk[$0].position) })
        for (item, word) in zip(chunk, predicted) {
          let cls = classOf[item.word] ?? .other
          total[cls, default: 0] += 1
          if word == item.word { correct[cls, default: 0] += 1 }
        }
      }
    }
    var out: [WordClass: Double] = [:]
    for (cls, t) in total where t > 0 { out[cls] = 100 * Double(correct[cls] ?? 0) / Double(t) }
    return out
  }

  /// Caption MLM accuracy with the image, blanked and without visual elements, and the accuracy on every word
  /// class with the image and blanked, with their differences (the visual clue's gain).
  public func groundingMetrics(_ model: VLModel) -> [String: Double] {
    var m: [String: Double] = [:]
    for input in Diagnostic.ImageInput.allCases {
      m[Diagnostic.mlm(input)] = mlmAccuracy(model, input: input)
    }
    m[Diagnostic.mlmImageGain] = m[Diagnostic.mlm(.image)]! - m[Diagnostic.mlm(.blank)]!
    let image = wordClassAccuracy(model, input: .image)
    let blanked = wordClassAccuracy(model, input: .blank)
    for cls in WordClass.allCases {
      let (a, b) = (image[cls] ?? 0, blanked[cls] ?? 0)
      m[Diagnostic.wordClass(cls, .image)] = a
      m[Diagnostic.wordClass(cls, .blank)] = b
      m[Diagnostic.wordClassGain(cls)] = a - b
    }
    return m
  }
}
