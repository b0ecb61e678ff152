import ArgumentParser
import Foundation
import Orchestrator
import Slurm
import Spec
import Store

extension RunCommand {
  /// `--executor slurm`: collect what finished, submit what has no result and no live task, and return
  /// (with `--wait`, poll the result files until none of the spec's cells is queued).
  func runOnSlurm(
    _ spec: ExperimentSpec, cells: [Cell], launch: TrainerLaunch, settings: SlurmSettings, store: Store,
    provenanceID: Int64?, gitCommit: String?
  ) throws {
    let executor = SlurmExecutor(store: store, cluster: SlurmCluster(), storeDirectory: self.store.directory)
    let ids = cells.map(\.id)
    do {
      let collected = try executor.collect(cellIDs: ids)
      if let problem = collected.squeueError {
        throw SlurmError(command: "squeue", message: problem + "; cannot tell live tasks from lost ones")
      }
      let plan = try PlannedCell.plan(cells, store: store, retryFailed: retryFailed)
      let submit = Set(plan.filter(\.willRun).map(\.cell.id))
      let submitted = try executor.submit(
        SlurmExecutor.Request(
          spec: spec, cells: cells, submit: submit, launch: launch, settings: settings,
          executable: executablePath,
          provenanceID: provenanceID, gitCommit: gitCommit, retryFailed: retryFailed))
      var line = "\(spec.name): \(cells.count) cells, \(collected.ingested.count) results collected"
      if collected.lost > 0 { line += ", \(collected.lost) lost (no result, no live task)" }
      line += ", \(submit.count) submitted"
      for s in submitted { line += "; Slurm array \(s.arrayID) (--array=\(s.range), job name \(s.jobName))" }
      printOut(line)
      if !submitted.isEmpty || plan.contains(where: { $0.record?.status == .queued }) {
        printOut(
          "follow with: ablate status \(self.spec) (or squeue --name=\(submitted.map(\.jobName).joined(separator: ",")));"
            + " collect with: ablate run \(self.spec) --executor slurm")
      }
      if wait {
        while try store.cells(ids: ids).values.contains(where: { $0.status == .queued }) {
          Thread.sleep(forTimeInterval: 0.2)
          try executor.collect(cellIDs: ids)
        }
      }
    } catch let error as SlurmError {
      FileHandle.standardError.write(Data("ablate: \(error)\n".utf8))
      throw ExitCode(1)
    }
    let final = try store.cells(ids: ids)
    var counts: [CellStatus: Int] = [:]
    for cell in cells { counts[final[cell.id]?.status ?? .pending, default: 0] += 1 }
    printOut(
      "\(spec.name): "
        + CellStatus.allCases.compactMap { s in counts[s].map { "\(s.rawValue) \($0)" } }.joined(
          separator: ", "))
    let settled = counts[.done, default: 0] + (wait ? 0 : counts[.queued, default: 0])
    if settled != cells.count { throw ExitCode(1) }
  }
}
