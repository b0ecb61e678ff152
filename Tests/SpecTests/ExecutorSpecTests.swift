import Testing

@testable import Spec

/// `run.executor` and `run.slurm`: parsed into settings, every bad key or value at its file:line:col.
@Suite struct ExecutorSpecTests {
  @Test func slurmSettingsAreRead() throws {
    let yaml =
      header + """
        run:
          executor: slurm
          slurm: {partition: gpu, time: "1:30:00", cpus: 4, mem: 8G, gres: "gpu:1", account: lab, qos: low,
                  sbatch: ["--constraint=a100"], throttle: 3, requeue: false, max_requeues: 1, signal_grace: 2m}

        """
    let spec = try ExperimentSpec.parse(yaml: yaml, file: "spec.yaml")
    #expect(spec.executor == .slurm)
    #expect(
      spec.slurm
        == SlurmSettings(
          partition: "gpu", timeMinutes: 90, cpus: 4, memory: "8G", gres: "gpu:1", account: "lab", qos: "low",
          sbatch: ["--constraint=a100"], throttle: 3, requeue: false, maxRequeues: 1, signalGrace: 120))
  }

  @Test func localIsTheDefault() throws {
    let spec = try ExperimentSpec.parse(yaml: header + "run: {timeout: 10m}\n", file: "spec.yaml")
    #expect(spec.executor == .local)
    #expect(spec.slurm == SlurmSettings())
  }

  @Test func badExecutorValuesPointAtTheirLine() {
    #expect(
      errorLines(header + "run: {executor: kubernetes}\n") == [
        "spec.yaml:4:17: 'run.executor' must be 'local' or 'slurm', found 'kubernetes' (hint: write executor: slurm)"
      ])
    #expect(
      errorLines(header + "run:\n  slurm: {partiton: gpu, cpus: 0, time: soon, mem: lots, requeue: 1}\n") == [
        "spec.yaml:5:11: unknown key 'partiton' in 'run.slurm' (hint: did you mean 'partition'?)",
        "spec.yaml:5:32: 'run.slurm.cpus' must be 1 or more",
        "spec.yaml:5:41: invalid time limit 'soon' for 'run.slurm.time' (hint: minutes (90), Slurm's H:MM:SS or D-HH:MM:SS, or a duration: 30m, 2h)",
        "spec.yaml:5:52: invalid memory 'lots' for 'run.slurm.mem' (hint: a number of megabytes or one with a unit: 512M, 4G)",
        "spec.yaml:5:67: expected true or false for 'run.slurm.requeue', found an integer",
      ])
    #expect(
      errorLines(header + "run: {slurm: [gpu]}\n") == [
        "spec.yaml:4:14: expected a mapping for 'run.slurm', found a list (hint: write slurm: {partition: gpu, time: 2h})"
      ])
    #expect(
      errorLines(header + "run: {slurm: {partition: two words, sbatch: [1]}}\n") == [
        "spec.yaml:4:26: expected one word for 'run.slurm.partition', found 'two words' (hint: no spaces; quote it if YAML reads it as something else)",
        "spec.yaml:4:46: expected one sbatch option for 'run.slurm.sbatch', found an integer (hint: like '--constraint=a100')",
      ])
  }
}
