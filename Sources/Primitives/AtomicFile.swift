import Foundation

/// Whole-file writes that a reader sees entirely or not at all: a temporary file beside the target, fsync'd,
/// renamed over it, then the directory fsync'd, so a crash, a kill or a full disk leaves the old file or the new
/// one, never half of one.
public enum AtomicFile {
  /// The step that failed, the file it failed on, and the system's reason.
  public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Step: String, Sendable { case create, write, rename }
    public var step: Step
    public var path: String
    public var reason: String

    public var description: String { "cannot \(step.rawValue) \(path): \(reason)" }
  }

  public static func write(_ data: some DataProtocol, to path: String) throws(WriteError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary = directory + "/.\(url.lastPathComponent).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure(.create, temporary) }
    var ok = true
    for region in data.regions where ok {
      region.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
          if n < 0 && errno == EINTR { continue }
          if n <= 0 {
            ok = false
            return
          }
          offset += n
        }
      }
    }
    if ok { ok = fsync(fd) == 0 }
    let saved = errno
    close(fd)
    guard ok else {
      unlink(temporary)
      errno = saved
      throw failure(.write, temporary)
    }
    guard rename(temporary, path) == 0 else {
      let error = failure(.rename, path)
      unlink(temporary)
      throw error
    }
    let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      fsync(dfd)
      close(dfd)
    }
  }

  public static func write(_ text: String, to path: String) throws(WriteError) {
    try write(Data(text.utf8), to: path)
  }

  private static func failure(_ step: WriteError.Step, _ path: String) -> WriteError {
    let reason = errno == 0 ? "short write" : String(cString: strerror(errno))
    return WriteError(step: step, path: path, reason: reason)
  }
}
