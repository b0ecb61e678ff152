import Spec
import TrainerProtocol

/// A spec the dashboard can render the report of, with its cells expanded by the caller (which knows the
/// trainers and their identities; the dashboard does not).
public struct ServedSpec: Sendable {
  public var path: String
  public var spec: ExperimentSpec
  public var cells: [Cell]
  /// The command that regenerates its report, shown in the report's provenance.
  public var command: String
  /// Its trainer's bookkeeping (which metrics are no results, which attachments it leaves).
  public var bookkeeping: TrainerBookkeeping

  public init(
    path: String, spec: ExperimentSpec, cells: [Cell], command: String,
    bookkeeping: TrainerBookkeeping = .none
  ) {
    self.path = path
    self.spec = spec
    self.cells = cells
    self.command = command
    self.bookkeeping = bookkeeping
  }
}
