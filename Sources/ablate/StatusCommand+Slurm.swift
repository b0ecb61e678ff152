import ArgumentParser
import Foundation
import Slurm
import Store

extension StatusCommand {
  /// Where each of the cells' Slurm tasks stands; empty when none went to Slurm. While some are queued, status
  /// is a writer too: it opens the store for writing and collects the results that arrived first.
  func slurmColumn(_ opened: Store, cellIDs: [String]) throws -> [String: String] {
    let tasks = try opened.slurmTasks(cellIDs: cellIDs)
    guard !tasks.isEmpty else { return [:] }
    var reader = opened
    var live: [SlurmExecutor.TaskKey: LiveTask] = [:]
    if tasks.values.contains(where: { $0.status == .queued }) {
      reader = try store.open()
      let executor = SlurmExecutor(store: reader, cluster: SlurmCluster(), storeDirectory: store.directory)
      do {
        let collection = try executor.collect(cellIDs: cellIDs)
        if let problem = collection.squeueError {
          FileHandle.standardError.write(Data("ablate: \(problem) (which tasks are alive is unknown)\n".utf8))
        }
        live = collection.live
      } catch {
        FileHandle.standardError.write(Data("ablate: \(error)\n".utf8))
        throw ExitCode(1)
      }
    }
    return try SlurmExecutor(store: reader, cluster: SlurmCluster(), storeDirectory: store.directory)
      .describe(cellIDs: cellIDs, live: live)
  }
}
