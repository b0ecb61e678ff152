import CLibGit2
import Foundation
import Hashing

/// The identity of a trainer's code (`trainer.code`): the content of each file named, and of every file
/// under each folder named, leaving out what git ignores (build output, caches, logs) and `.git` itself.
///
/// Content, not commits: a committed file and the same bytes in a dirty tree hash alike, and editing an
/// imported module changes the identity of exactly the trainers whose `code` covers it.
public enum CodeIdentity {
  /// One SHA-256 over "path<TAB>sha256" lines, paths relative to `directory`, sorted.
  public static func hash(paths: [String], relativeTo directory: String) throws -> String {
    let ignore = GitIgnore(directory: directory)
    var lines: [String] = []
    let base = URL(fileURLWithPath: directory).standardizedFileURL
    for path in paths {
      let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
      for file in try files(under: url.standardizedFileURL, ignore: ignore) {
        lines.append("\(display(file, base: base))\t\(try SHA256.hex(fileAt: file))")
      }
    }
    return SHA256.hex(lines.sorted().joined(separator: "\n"))
  }

  private static func files(under url: URL, ignore: GitIgnore?) throws -> [URL] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    guard isDirectory.boolValue else { return [url] }
    var found: [URL] = []
    let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isDirectoryKey])
    while let next = walker?.nextObject() as? URL {
      let folder = (try? next.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory ?? false
      if next.lastPathComponent == ".git" || ignore?.isIgnored(next, folder: folder) == true {
        if folder { walker?.skipDescendants() }
        continue
      }
      if !folder { found.append(next) }
    }
    return found
  }

  private static func display(_ file: URL, base: URL) -> String {
    let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
    return file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
  }
}

/// The ignore rules (`.gitignore`, `info/exclude`, global excludes) of the repository containing a folder.
final class GitIgnore {
  private let repo: OpaquePointer
  private let workdir: String

  init?(directory: String) {
    git_libgit2_init()
    var repo: OpaquePointer?
    guard git_repository_open_ext(&repo, directory, 0, nil) == 0, let repo,
      let root = git_repository_workdir(repo).map({ String(cString: $0) })
    else {
      git_libgit2_shutdown()
      return nil
    }
    self.repo = repo
    self.workdir = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
  }

  deinit {
    git_repository_free(repo)
    git_libgit2_shutdown()
  }

  func isIgnored(_ url: URL, folder: Bool) -> Bool {
    let path = url.standardizedFileURL.resolvingSymlinksInPath().path
    let prefix = workdir.hasSuffix("/") ? workdir : workdir + "/"
    guard path.hasPrefix(prefix) else { return false }
    var ignored: Int32 = 0
    let relative = String(path.dropFirst(prefix.count)) + (folder ? "/" : "")
    return git_ignore_path_is_ignored(&ignored, repo, relative) == 0 && ignored != 0
  }
}
