/// The names of the per-factor diagnostics, in one place: each is a metric of the stage that produces it,
/// measured once on held-out data at the stage's end (docs/vl.md says how each is computed).
public enum Diagnostic {
  /// What the image part of a masked-word probe holds.
  public enum ImageInput: String, Sendable, CaseIterable {
    /// The caption's own image.
    case image
    /// The same regions and boxes with every pixel zero.
    case blank
    /// No visual elements at all: the caption as a text-only sequence, as BERT-init was trained.
    case none
  }

  /// Masked caption words, 15% of the words of 400 validation captions (`ImageInput`).
  public static func mlm(_ input: ImageInput) -> String {
    switch input {
    case .image: "pretrain/mlm_acc_val"
    case .blank: "pretrain/mlm_acc_blank_val"
    case .none: "pretrain/mlm_acc_textonly_val"
    }
  }
  /// Masked words with the image minus blanked: the grounding gain (compare rows with and without SIR).
  public static let mlmImageGain = "pretrain/mlm_image_gain_val"

  /// Every word of a class in the validation captions masked alone, with the image or blanked.
  public static func wordClass(_ c: Pretraining.WordClass, _ input: ImageInput) -> String {
    input == .image ? "pretrain/\(c.rawValue)_acc_val" : "pretrain/\(c.rawValue)_acc_blank_val"
  }
  public static func wordClassGain(_ c: Pretraining.WordClass) -> String {
    "pretrain/\(c.rawValue)_image_gain_val"
  }

  /// Masked-RoI classification (argmax against the detector's class) with the caption, and without it.
  public static let mrcWithCaption = "pretrain/mrc_acc_val"
  public static let mrcWithoutCaption = "pretrain/mrc_acc_nocaption_val"
  public static let mrcCaptionGain = "pretrain/mrc_caption_gain_val"

  /// Sentence-image relation: matched against mismatched validation pairs, half each.
  public static let relation = "pretrain/sir_acc_val"

  /// Cloze on held-out text-corpus passages (15% of words masked, text-only), after a stage: the text-only
  /// corpus's language, and how much of it visual-linguistic pre-training forgets.
  public static func cloze(stage: String) -> String { "\(stage)/cloze_acc_val" }

  /// A linear probe of an object attribute on region features: fitted on the ground-truth regions of
  /// training caption images, scored on validation ones; `before` is the extractor a stage starts from.
  public enum Attribute: String, Sendable, CaseIterable { case colour, texture }
  public static func probe(stage: String, _ attribute: Attribute, before: Bool) -> String {
    "\(stage)/\(attribute.rawValue)_probe_\(before ? "before" : "after")_val"
  }

  /// The training items a fine-tuning stage used (`finetune.data_fraction` of its set).
  public static func trainItems(_ task: String) -> String { "\(task)/train_items" }
}
