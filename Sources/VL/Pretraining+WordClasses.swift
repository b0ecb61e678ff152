import NN
import World

/// Masked-word accuracy by word class, the sharpest test of grounding: category words can only be told from
/// the image, so their accuracy with the image against the image blanked says whether the model looks at it.
extension Pretraining {
  public enum WordClass: String, CaseIterable, Sendable {
    case category, colour, texture, size, other
  }

  /// Accuracy (percent) per word class on validation captions, every word of every caption masked once, alone
  /// (so each class is measured on all of its occurrences); `blank` zeroes every pixel of the image.
  public func wordClassAccuracy(_ model: VLModel, blank: Bool) -> [WordClass: Double] {
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
          return captionSequence(tokens, image: item.caption.image, blank: blank)
        }
        let predicted = predictedWords(
          model, sequences, at: chunk.indices.map { ($0 - start, 1 + chunk[$0].position) })
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

  /// The pre-training metrics of a model: caption MLM accuracy, and the accuracy on category, colour and
  /// texture words, each with the image and with it blanked, and their differences (the visual clue's gain).
  public func groundingMetrics(_ model: VLModel) -> [String: Double] {
    var m: [String: Double] = [
      "pretrain/mlm_acc_val": mlmAccuracy(model, blank: false),
      "pretrain/mlm_acc_blank_val": mlmAccuracy(model, blank: true),
    ]
    m["pretrain/mlm_image_gain_val"] = m["pretrain/mlm_acc_val"]! - m["pretrain/mlm_acc_blank_val"]!
    let image = wordClassAccuracy(model, blank: false)
    let blanked = wordClassAccuracy(model, blank: true)
    for cls in [WordClass.category, .colour, .texture] {
      let (a, b) = (image[cls] ?? 0, blanked[cls] ?? 0)
      m["pretrain/\(cls.rawValue)_acc_val"] = a
      m["pretrain/\(cls.rawValue)_acc_blank_val"] = b
      m["pretrain/\(cls.rawValue)_image_gain_val"] = a - b
    }
    return m
  }
}
