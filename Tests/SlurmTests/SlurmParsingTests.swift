import Foundation
import Spec
import Testing

@testable import Slurm

/// What the Slurm tools print, parsed; what the executor writes for them, checked.
@Suite struct SlurmParsingTests {
  @Test func arrayRangesCompressRunsAndCarryTheThrottle() {
    #expect(ArrayRange(indices: Array(0..<20), throttle: 4).description == "0-19%4")
    #expect(ArrayRange(indices: [12, 3, 7], throttle: nil).description == "3,7,12")
    #expect(ArrayRange(indices: [0, 1, 2, 5, 7, 8, 8], throttle: nil).description == "0-2,5,7-8")
    #expect(ArrayRange(indices: [4], throttle: 1).description == "4%1")
  }

  @Test func positionsSplitAtMaxArraySize() {
    let chunks = ArrayRange.chunks(positions: [0, 1, 2, 3, 4, 7], maxArraySize: 3)
    #expect(chunks == [0: [0, 1, 2], 1: [0, 1], 2: [1]])
  }

  @Test func maxArraySizeComesFromScontrol() {
    let config = "Configuration data as of 2026\nMaxArraySize            = 100001\nMaxJobCount = 5\n"
    #expect(SlurmCluster.parseMaxArraySize(config) == 100001)
    #expect(SlurmCluster.parseMaxArraySize("MaxJobCount = 5\n") == 1001)
  }

  @Test func parsableSubmissionIDs() {
    #expect(SlurmCluster.parseSubmitted("1234\n") == "1234")
    #expect(SlurmCluster.parseSubmitted("1234;cluster-a\n") == "1234")
    #expect(SlurmCluster.parseSubmitted("sbatch: error: Batch job submission failed") == nil)
  }

  @Test func squeueLinesBecomeLiveTasks() {
    let output = """
      ablate-abc|41|3|41_3|RUNNING|ci-node|debug|None
      ablate-abc|41|4|41_4|PENDING||debug|JobArrayTaskLimit
      ablate-abc|41|N/A|41|PENDING||debug|None
      garbage

      """
    let tasks = SlurmCluster.parseLiveTasks(output)
    #expect(tasks.count == 2)
    #expect(
      tasks[0]
        == LiveTask(
          jobName: "ablate-abc", arrayID: "41", taskIndex: 3, jobID: "41_3", state: "RUNNING",
          node: "ci-node",
          partition: "debug", reason: "None"))
    #expect(tasks[1].node == nil && tasks[1].reason == "JobArrayTaskLimit")
  }

  @Test func batchScriptCarriesEveryOption() {
    let settings = SlurmSettings(
      partition: "gpu", timeMinutes: 90, cpus: 4, memory: "8G", gres: "gpu:1", account: "lab", qos: "low",
      sbatch: ["--constraint=a100"], throttle: 2, requeue: true, maxRequeues: 3, signalGrace: 120)
    let script = BatchScript(
      jobName: "ablate-x", array: ArrayRange(indices: [0, 1, 2], throttle: 2), submissionDirectory: "/s/x",
      workingDirectory: "/w", executable: "/bin/ablate it's", settings: settings)
    let lines = script.text.split(separator: "\n").map(String.init)
    for option in [
      "--job-name=ablate-x", "--array=0-2%2", "--output=/s/x/logs/%A_%a.log", "--open-mode=append",
      "--requeue",
      "--signal=B:USR1@120", "--chdir=/w", "--partition=gpu", "--time=90", "--cpus-per-task=4", "--mem=8G",
      "--gres=gpu:1", "--account=lab", "--qos=low", "--constraint=a100",
    ] {
      #expect(lines.contains("#SBATCH \(option)"), "\(option)")
    }
    #expect(lines.last == "exec '/bin/ablate it'\\''s' slurm-task '/s/x'")
    var off = settings
    off.requeue = false
    #expect(
      BatchScript(
        jobName: "j", array: ArrayRange(indices: [0], throttle: nil), submissionDirectory: "/s",
        workingDirectory: "/w",
        executable: "/a", settings: off
      ).options.contains("--no-requeue"))
  }

  @Test func timeLimitsInEverySlurmForm() {
    #expect(SlurmSettings.minutes("90") == 90)
    #expect(SlurmSettings.minutes("1:30:00") == 90)
    #expect(SlurmSettings.minutes("2-00:00:00") == 2880)
    #expect(SlurmSettings.minutes("45:30") == 46)
    #expect(SlurmSettings.minutes("2h") == 120)
    #expect(SlurmSettings.minutes("90s") == 2)
    #expect(SlurmSettings.minutes("soon") == nil)
    #expect(SlurmSettings.minutes("0") == nil)
  }
}
