import Foundation

/// Whole-file writes that a reader sees entirely or not at all: a temporary file beside the target,
/// fsync'd, renamed over it, and the directory fsync'd, so a crash or a full disk never leaves half a file.
public enum AtomicFile {
  public static func write(_ path: String, _ data: Data) throws {
    let temporary = "\(path).tmp.\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure("create", temporary) }
    var ok = true
    data.withUnsafeBytes { raw in
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
    if ok { ok = fsync(fd) == 0 }
    let saved = errno
    close(fd)
    guard ok else {
      unlink(temporary)
      errno = saved
      throw failure("write", temporary)
    }
    guard rename(temporary, path) == 0 else {
      let error = failure("rename", temporary)
      unlink(temporary)
      throw error
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      fsync(dfd)
      close(dfd)
    }
  }

  private static func failure(_ what: String, _ path: String) -> SlurmError {
    SlurmError(command: "write", message: "cannot \(what) \(path): \(String(cString: strerror(errno)))")
  }
}
