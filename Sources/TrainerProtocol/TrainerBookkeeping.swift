/// What a trainer records beside its results, declared by the trainer, so reports and dashboards tell results
/// from bookkeeping and find its attachments without knowing any trainer's layout.
public struct TrainerBookkeeping: Sendable, Hashable {
  /// Final metrics named with one of these prefixes are bookkeeping (timings, reused stages): never a result
  /// column of their own.
  public var metricPrefixes: [String]
  /// Settings of the cells' configs that a report's footer names in one line, e.g. "World: scale smoke, seed 0".
  public var footer: FooterLine?
  /// Files the trainer leaves in a cell's output directory that a report draws.
  public var attachments: [Attachment]

  public init(metricPrefixes: [String] = [], footer: FooterLine? = nil, attachments: [Attachment] = []) {
    self.metricPrefixes = metricPrefixes
    self.footer = footer
    self.attachments = attachments
  }

  /// A trainer that declares nothing: every final metric is a result.
  public static let none = TrainerBookkeeping()

  public func isBookkeeping(metric name: String) -> Bool { metricPrefixes.contains { name.hasPrefix($0) } }

  /// "World: scale smoke, seed 0": a label, then each setting's name and the values the cells give it.
  public struct FooterLine: Sendable, Hashable {
    public var label: String
    /// Names and config paths, in the line's order; the line is shown when the first is set in some cell.
    public var settings: [Setting]

    public struct Setting: Sendable, Hashable {
      public var name: String
      public var path: String
      public init(name: String, path: String) {
        self.name = name
        self.path = path
      }
    }

    public init(label: String, settings: [Setting]) {
      self.label = label
      self.settings = settings
    }
  }

  /// Files in a cell's output directory, by kind.
  public struct Attachment: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
      /// `<sample>.npy` (float32 `[layers, heads, L, L]`) and `<sample>.json` (tokens, kinds, layers, heads).
      case attentionMaps
    }
    public var kind: Kind
    /// The folder inside the output directory.
    public var directory: String

    public init(kind: Kind, directory: String) {
      self.kind = kind
      self.directory = directory
    }
  }
}
