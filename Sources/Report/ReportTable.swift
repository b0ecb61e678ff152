/// A paper-style table: rows are variants (or reference-only rows from the paper), columns are metrics.
///
/// The model is independent of the store and of the output format, so Markdown, LaTeX, CSV and JSON all
/// render the same facts, and tests can build one by hand.
public struct ReportTable: Sendable, Equatable {
  public var title: String
  public var caption: String?
  public var columns: [Column]
  public var rows: [Row]
  /// Whether the spec names a paper table; without one, no "paper" columns are drawn.
  public var hasPaper: Bool

  public init(title: String, caption: String? = nil, columns: [Column], rows: [Row], hasPaper: Bool = true) {
    self.title = title
    self.caption = caption
    self.columns = columns
    self.rows = rows
    self.hasPaper = hasPaper
  }

  public struct Column: Sendable, Equatable {
    public var key: String
    public var label: String
    public var higherIsBetter: Bool
    /// Digits after the point, as the paper prints this column.
    public var decimals: Int

    public init(key: String, label: String, higherIsBetter: Bool = true, decimals: Int = 1) {
      self.key = key
      self.label = label
      self.higherIsBetter = higherIsBetter
      self.decimals = decimals
    }
  }

  public struct Row: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
      /// Trained by `ablate`: cells hold measurements.
      case measured
      /// A row the paper has but `ablate` cannot train: only the paper's numbers.
      case referenceOnly = "reference-only"
    }

    public var label: String
    public var kind: Kind
    /// Seeds requested for this row, so a report can say "2 of 3 done".
    public var expected: Int
    public var cells: [String: Entry]

    public init(label: String, kind: Kind = .measured, expected: Int = 0, cells: [String: Entry]) {
      self.label = label
      self.kind = kind
      self.expected = expected
      self.cells = cells
    }
  }

  /// One row x column: what we measured (or why there is nothing) and what the paper says.
  public struct Entry: Sendable, Equatable {
    public var measured: Summary
    /// States of the cells that produced no value here ("failed", "pending", ...), shown as holes.
    public var missing: [String]
    public var paper: Double?

    public init(measured: Summary = Summary([]), missing: [String] = [], paper: Double? = nil) {
      self.measured = measured
      self.missing = missing
      self.paper = paper
    }
  }
}
