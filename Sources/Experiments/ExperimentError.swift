/// Why an experiment could not be opened or run, sorted by whose fault it is, so the command line can give
/// each its exit code: the input, the machine, or the cluster.
public enum ExperimentError: Error, Sendable, Equatable {
  /// The spec, an option or a cell's config is wrong: one line per problem; nothing was written.
  case badInput([String])
  /// What the experiment runs on failed (disk, permissions, a missing executable, a damaged store).
  case environment(String)
  /// The Slurm cluster refused or failed a command (`sbatch`, `squeue`, `scancel`).
  case cluster(String)
}
