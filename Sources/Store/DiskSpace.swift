import Foundation

/// Free space on the filesystem holding a path: how a full disk is told from other failures, whether SQLite or
/// a trainer met it (SQLite reports some writes on a full disk as I/O errors, not `SQLITE_FULL`).
public enum DiskSpace {
  /// Under this much free for unprivileged writers, the disk counts as full.
  public static let lowWater: UInt64 = 64 << 10

  /// Less than `lowWater` left on the filesystem holding `path` (false when it cannot be asked).
  public static func isFull(at path: String) -> Bool {
    var fs = statvfs()
    guard statvfs(path, &fs) == 0 else { return false }
    return UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < lowWater
  }
}
