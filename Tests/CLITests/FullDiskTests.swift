import Foundation
import Store
import Testing

/// A full disk is the machine's failure, never a cell's: whatever moment it fills at, the run exits 3 with one
/// line, no cell is settled by it, and a plain re-run once there is room finishes every cell. Each test mounts
/// a real tmpfs (root with CAP_SYS_ADMIN) and is skipped, saying so, where that is not allowed.
@Suite struct FullDiskTests {
  static let fullDisk = "the disk is full"

  /// Chaos seed 4413: the disk filled while the store was being created and left a file with no tables, which
  /// every reader took for a damaged store. Creation meets the full disk at each of its steps here, from the
  /// file's first page to the cells' registration and their first attempts.
  @Test(.enabled(if: Tmpfs.available, "needs mount -t tmpfs (root with CAP_SYS_ADMIN)"))
  func aStoreCreatedOnAFullDiskIsWholeOrAbsent() throws {
    var existed = 0
    let seeds = (1...20).map(String.init).joined(separator: ", ")
    for kib in stride(from: 8, through: 392, by: 48) {
      let disk = try Tmpfs(megabytes: 1)
      defer { disk.unmount() }
      try "name: full\ntrainer: {command: [sh, -c, 'true']}\nbaseline: {x: 1}\nseeds: [\(seeds)]\n"
        .write(toFile: disk.path + "/spec.yaml", atomically: false, encoding: .utf8)
      try disk.fill(leaving: kib << 10)
      let full = try disk.run(["run", "spec.yaml"])
      #expect(full.status == 3, "\(kib) KiB free: \(full.stdout)\(full.stderr)")
      #expect(
        full.stderr.split(separator: "\n").count == 1 && full.stderr.contains(Self.fullDisk),
        "\(kib) KiB free: \(full.stderr)")
      let path = disk.path + "/.ablate/ablate.db"
      if FileManager.default.fileExists(atPath: path) {
        // A store that exists is a whole one: its cells can be listed, on the full disk too, and none failed
        // (cells that ran before the disk filled are done).
        let cells = try Store(path: path, access: .readOnly).cells()
        #expect(!cells.contains { $0.status.isFailure }, "\(kib) KiB free")
        let status = try disk.run(["status", "spec.yaml"])
        #expect(status.status == 0, "\(kib) KiB free: \(status.stderr)")
        existed += 1
      }
      try disk.emptyBallast()
      let rerun = try disk.run(["run", "spec.yaml"])
      #expect(rerun.status == 0, "\(kib) KiB free: \(rerun.stdout)\(rerun.stderr)")
      let done = try Store(path: path, access: .readOnly).cells()
      #expect(done.count == 20 && done.allSatisfy { $0.status == .done }, "\(kib) KiB free")
    }
    #expect(existed > 0, "the disk never filled after the store was made")
  }

  /// A trainer whose checkpoint did not fit removes its partial file and fails saying so: by the time it ends
  /// the disk has room again, and the cell was settled `failed`.
  @Test(.enabled(if: Tmpfs.available, "needs mount -t tmpfs (root with CAP_SYS_ADMIN)"))
  func aTrainerThatRanOutOfSpaceAndCleanedUpLeavesItsCellPending() throws {
    let disk = try Tmpfs(megabytes: 4)
    defer { disk.unmount() }
    try """
    #!/bin/sh
    echo '{"step": 1, "loss": 0.5}' >> "$ABLATE_METRICS"
    size=8000000; [ -e fits ] && size=1000
    if ! head -c "$size" /dev/zero > "$ABLATE_OUTPUT_DIR/checkpoint.tmp" 2>/dev/null; then
      rm -f "$ABLATE_OUTPUT_DIR/checkpoint.tmp"
      echo "saving the checkpoint: OSError: [Errno 28] No space left on device" >&2
      exit 1
    fi
    mv "$ABLATE_OUTPUT_DIR/checkpoint.tmp" "$ABLATE_OUTPUT_DIR/checkpoint"

    """.write(toFile: disk.path + "/train.sh", atomically: false, encoding: .utf8)
    try Self.expectPendingThenDone(disk)
  }

  /// A trainer that filled the disk for a while (its appends of metrics lost) and freed it before a clean exit:
  /// the cell was settled `done` with a curve short of what the trainer logged.
  @Test(.enabled(if: Tmpfs.available, "needs mount -t tmpfs (root with CAP_SYS_ADMIN)"))
  func aTrainerThatFilledTheDiskForAWhileLeavesItsCellPending() throws {
    let disk = try Tmpfs(megabytes: 4)
    defer { disk.unmount() }
    try """
    #!/bin/sh
    echo '{"step": 1, "loss": 0.5}' >> "$ABLATE_METRICS"
    if [ ! -e fits ]; then
      head -c 8000000 /dev/zero > "$ABLATE_OUTPUT_DIR/scratch" 2>/dev/null
      sleep 1.5
      rm -f "$ABLATE_OUTPUT_DIR/scratch"
    fi
    exit 0

    """.write(toFile: disk.path + "/train.sh", atomically: false, encoding: .utf8)
    try Self.expectPendingThenDone(disk)
  }

  /// The one cell of `disk/train.sh` stays pending with exit 3; once the trainer fits, a re-run settles it done.
  static func expectPendingThenDone(_ disk: Tmpfs) throws {
    try "name: full\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\nseeds: [1]\n"
      .write(toFile: disk.path + "/spec.yaml", atomically: false, encoding: .utf8)
    let full = try disk.run(["run", "spec.yaml"])
    #expect(full.status == 3, "\(full.stdout)\(full.stderr)")
    #expect(
      full.stderr.hasSuffix(
        "the disk is full (the trainer ran out of space); free some space and run again\n")
        && full.stderr.split(separator: "\n").count == 1, "\(full.stderr)")
    let path = disk.path + "/.ablate/ablate.db"
    #expect(try Store(path: path, access: .readOnly).cells().map(\.status) == [.pending])
    FileManager.default.createFile(atPath: disk.path + "/fits", contents: nil)
    let rerun = try disk.run(["run", "spec.yaml"])
    #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
    #expect(try Store(path: path, access: .readOnly).cells().map(\.status) == [.done])
  }
}
