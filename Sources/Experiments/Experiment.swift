import Foundation
import Orchestrator
import Spec
import Store
import TrainerProtocol
import Trainers

/// One spec opened against one store: what every command that takes a SPEC starts from. It loads and checks
/// the spec, resolves its trainer and expands its cells; the commands call it and print what it returns.
public struct Experiment: Sendable {
  public let spec: ExperimentSpec
  public let launch: TrainerLaunch
  /// The spec's cells, in expansion order (`restrict(to:)` narrows them).
  public private(set) var cells: [Cell]
  /// The store's path (`--store`); every run directory sits beside it (`layout`).
  public let storePath: String
  /// The binary that runs built-in trainers (`ablate exec-builtin NAME`) and Slurm tasks.
  public let executable: String

  /// Loads the spec at `path` with `--set` overrides; every problem is one `file:line:col` line.
  public init(spec path: String, overrides: [String], store storePath: String, executable: String)
    throws(ExperimentError)
  {
    do { spec = try ExperimentSpec.load(path: path, overrides: overrides) } catch {
      throw .badInput(error.errors.map(\.description))
    }
    do { launch = try TrainerLaunch.resolve(spec, registry: .standard, executable: executable) } catch {
      throw .badInput([(error as? RunError)?.message ?? "\(error)"])
    }
    cells = spec.cells(trainerIdentity: launch.identity)
    self.storePath = storePath
    self.executable = executable
  }

  public var layout: RunLayout { RunLayout(storePath: storePath) }
  public var cellIDs: [String] { cells.map(\.id) }

  /// The store's directory, absolute: compute nodes write their cells' files below it.
  public var storeDirectory: String { layout.root.path }

  /// Keeps only the cells of `variants` (`--only`); a name that is no variant is bad input.
  public mutating func restrict(to variants: [String]) throws(ExperimentError) {
    guard !variants.isEmpty else { return }
    let names = cells.map(\.variant).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let unknown = variants.filter { !names.contains($0) }
    guard unknown.isEmpty else {
      throw .badInput(
        unknown.map {
          "\(spec.file): --only names no variant '\($0)' (variants: \(names.joined(separator: ", ")))"
        })
    }
    cells = cells.filter { variants.contains($0.variant) }
  }

  /// A built-in trainer's checks of every cell's config, before the store is opened: one line per distinct
  /// problem, at the spec line that sets the key when the trainer names one.
  public func validateConfigs() throws(ExperimentError) {
    guard case .builtin(let name) = spec.trainer, let trainer = BuiltinRegistry.standard[name] else { return }
    var problems: [String] = []
    for cell in cells {
      do { try trainer.validate(config: cell.config) } catch {
        let problem = error as? ConfigError
        let at = problem.flatMap { spec.location(ofKey: $0.key, variant: cell.variant) }
        let place = at.map { "\($0): " } ?? "\(spec.file): variant '\(cell.variant)': "
        let line = place + "\(error) (hint: \(problem?.hint ?? "fix it in the spec or with --set"))"
        if !problems.contains(line) { problems.append(line) }
      }
    }
    if !problems.isEmpty { throw .badInput(problems) }
  }

  /// The store read-only (no lock, no migration, no write); nil when there is none yet.
  public func existingStore() throws -> Store? {
    guard FileManager.default.fileExists(atPath: storePath) else { return nil }
    return try Store(path: storePath, access: .readOnly)
  }

  /// The store for a writer, created or migrated.
  public func openStore() throws -> Store { try Store(path: storePath) }

  /// Each cell with its stored state and whether a run would start it.
  public func plan(store: Store?, retryFailed: Bool) throws -> [PlannedCell] {
    try PlannedCell.plan(cells, store: store, retryFailed: retryFailed)
  }

  /// How many of the cells stand in each state, in `CellStatus` order: "done 3, failed 1".
  public static func countsLine(_ counts: [CellStatus: Int]) -> String {
    CellStatus.allCases.compactMap { s in counts[s].map { "\(s.rawValue) \($0)" } }.joined(separator: ", ")
  }

  /// The cells' states in `store` (pending where it knows none).
  public func counts(in store: Store) throws -> [CellStatus: Int] {
    let records = try store.cells(ids: cellIDs)
    var counts: [CellStatus: Int] = [:]
    for cell in cells { counts[records[cell.id]?.status ?? .pending, default: 0] += 1 }
    return counts
  }
}
