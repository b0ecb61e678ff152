import Foundation
import Hashing
import Spec

#if canImport(Glibc)
  import Glibc
#endif

/// Content-addressed results of pipeline stages (BERT-init, pre-training, fine-tuning), shared by every cell
/// and every spec that uses one store: a stage whose identity was produced once is never produced again.
///
/// A stage is a directory `ROOT/<id>/` that appears atomically (built in a temp dir, then renamed), so a crash
/// or `kill -9` mid-stage leaves nothing a later run could mistake for a result. Concurrent callers for the same
/// id, in any process, serialize on an `flock` that the kernel drops if its owner dies.
public final class StageCache: Sendable {
  public let root: URL

  public init(root: URL) throws {
    self.root = root
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  }

  /// A stage's identity: its kind, its own resolved config, its inputs' identities and its code's version.
  public static func identity(kind: String, config: ConfigValue, inputs: [String], code: String) -> String {
    let text = [kind, config.canonicalJSON, inputs.joined(separator: ","), code].joined(separator: "\n")
    return SHA256.hex(text)
  }

  public struct Result: Sendable {
    public var directory: URL
    /// True when the stage existed and `produce` did not run.
    public var reused: Bool
  }

  /// The finished directory of stage `id`; runs `produce(tempDirectory)` first if no one has produced it yet.
  public func stage(_ id: String, produce: (URL) throws -> Void) throws -> Result {
    let final = root.appendingPathComponent(id, isDirectory: true)
    let lock = try Lock(path: root.appendingPathComponent(id + ".lock").path)
    defer { lock.unlock() }
    if FileManager.default.fileExists(atPath: final.path) { return Result(directory: final, reused: true) }

    let temp = root.appendingPathComponent(".tmp-\(id)-\(getpid())-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
    do {
      try produce(temp)
      try Self.syncTree(temp)
      try FileManager.default.moveItem(at: temp, to: final)
      Self.syncDirectory(root)
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw error
    }
    return Result(directory: final, reused: false)
  }

  /// Flushes every file of a freshly built stage so the rename never publishes half-written data.
  private static func syncTree(_ directory: URL) throws {
    let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
      let fd = open(url.path, O_RDONLY)
      if fd >= 0 {
        fsync(fd)
        close(fd)
      }
    }
    syncDirectory(directory)
  }

  private static func syncDirectory(_ directory: URL) {
    let fd = open(directory.path, O_RDONLY | O_DIRECTORY)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  /// An exclusive advisory lock on a file, held until `unlock` or the process's death.
  private struct Lock {
    let fd: Int32

    init(path: String) throws {
      fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        throw RunError("cannot open stage lock \(path): \(String(cString: strerror(errno)))")
      }
      while flock(fd, LOCK_EX) != 0 {
        guard errno == EINTR else {
          close(fd)
          throw RunError("cannot lock \(path): \(String(cString: strerror(errno)))")
        }
      }
    }

    func unlock() {
      flock(fd, LOCK_UN)
      close(fd)
    }
  }
}
