import CLibGit2
import Hashing
import Foundation

extension GitState {
  /// Reads commit, branch, dirty flag and patch of the repository that contains `directory` (searching upward).
  /// Paths under any of `ignoring` (relative to the work tree, e.g. the store's own directory) do not count.
  public static func read(at directory: String, ignoring: [String] = []) throws -> GitState {
    git_libgit2_init()
    defer { git_libgit2_shutdown() }
    var repo: OpaquePointer?
    let opened = git_repository_open_ext(&repo, directory, 0, nil)
    if opened == GIT_ENOTFOUND.rawValue { return .none }
    try check(opened, "open repository at \(directory)")
    defer { git_repository_free(repo) }

    var state = GitState(isRepository: true)
    var head: OpaquePointer?
    let headCode = git_repository_head(&head, repo)
    var tree: OpaquePointer?
    if headCode == 0 {
      defer { git_reference_free(head) }
      if git_reference_is_branch(head) != 0, let short = git_reference_shorthand(head) {
        state.branch = String(cString: short)
      }
      var commitObject: OpaquePointer?
      try check(git_reference_peel(&commitObject, head, GIT_OBJECT_COMMIT), "resolve HEAD")
      defer { git_object_free(commitObject) }
      if let oid = git_object_id(commitObject) { state.commit = hex(oid) }
      try check(git_commit_tree(&tree, commitObject), "read HEAD's tree")
    } else if headCode != GIT_EUNBORNBRANCH.rawValue {
      try check(headCode, "read HEAD")
    }
    defer { if tree != nil { git_tree_free(tree) } }

    let workdir = git_repository_workdir(repo).map { String(cString: $0) } ?? ""
    let skipped = ignoring.compactMap { relative($0, to: workdir) }
    state.dirty = try hasChanges(repo, skipping: skipped)
    if state.dirty {
      let patch = try diffPatch(repo, tree: tree, skipping: skipped)
      state.patch = patch
      state.diffSHA256 = SHA256.hex(patch)
    }
    return state
  }

  private static func hasChanges(_ repo: OpaquePointer?, skipping: [String]) throws -> Bool {
    var options = git_status_options()
    try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "status options")
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
    var list: OpaquePointer?
    try check(git_status_list_new(&list, repo, &options), "status")
    defer { git_status_list_free(list) }
    for index in 0..<git_status_list_entrycount(list) {
      guard let entry = git_status_byindex(list, index)?.pointee else { continue }
      let delta = entry.index_to_workdir ?? entry.head_to_index
      let path = delta.flatMap { $0.pointee.new_file.path }.map { String(cString: $0) } ?? ""
      if !skipping.contains(where: { path.hasPrefix($0) }) { return true }
    }
    return false
  }

  private static func diffPatch(_ repo: OpaquePointer?, tree: OpaquePointer?, skipping: [String]) throws
    -> String
  {
    var options = git_diff_options()
    try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "diff options")
    options.flags =
      GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
      | GIT_DIFF_SHOW_UNTRACKED_CONTENT.rawValue
    var diff: OpaquePointer?
    try check(git_diff_tree_to_workdir_with_index(&diff, repo, tree, &options), "diff")
    defer { git_diff_free(diff) }
    var text = ""
    for index in 0..<git_diff_num_deltas(diff) {
      let path = git_diff_get_delta(diff, index)?.pointee.new_file.path.map { String(cString: $0) } ?? ""
      if skipping.contains(where: { path.hasPrefix($0) }) { continue }
      var patch: OpaquePointer?
      try check(git_patch_from_diff(&patch, diff, index), "patch")
      defer { git_patch_free(patch) }
      guard patch != nil else { continue }
      var buffer = git_buf()
      try check(git_patch_to_buf(&buffer, patch), "format patch")
      defer { git_buf_dispose(&buffer) }
      if let ptr = buffer.ptr {
        text += String(decoding: UnsafeRawBufferPointer(start: ptr, count: buffer.size), as: UTF8.self)
      }
    }
    return text
  }

  private static func relative(_ path: String, to workdir: String) -> String? {
    guard !workdir.isEmpty else { return nil }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    let root = URL(fileURLWithPath: workdir).standardizedFileURL.resolvingSymlinksInPath().path
    let prefix = root.hasSuffix("/") ? root : root + "/"
    guard absolute.hasPrefix(prefix) else { return nil }
    let rest = String(absolute.dropFirst(prefix.count))
    return rest.isEmpty ? nil : rest + "/"
  }

  private static func hex(_ oid: UnsafePointer<git_oid>) -> String {
    withUnsafeBytes(of: oid.pointee.id) { hexString(Array($0)) }
  }

  private static func check(_ code: Int32, _ operation: String) throws {
    guard code < 0 else { return }
    let message =
      git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
    throw GitError(operation: operation, code: code, message: message)
  }
}
