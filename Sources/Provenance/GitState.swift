/// What git says about the code a run used.
public struct GitState: Sendable, Hashable, Codable {
  /// False when the directory is in no git repository: recorded as such, never an error.
  public var isRepository: Bool
  public var commit: String?
  /// Nil on a detached HEAD or outside a repository.
  public var branch: String?
  /// Changes to tracked files, or untracked files that are not ignored.
  public var dirty: Bool
  /// sha256 of `patch`, when dirty.
  public var diffSHA256: String?
  /// The working tree against HEAD (untracked files included); not part of the JSON, stored once per distinct diff.
  public var patch: String?

  public init(
    isRepository: Bool, commit: String? = nil, branch: String? = nil, dirty: Bool = false,
    diffSHA256: String? = nil, patch: String? = nil
  ) {
    self.isRepository = isRepository
    self.commit = commit
    self.branch = branch
    self.dirty = dirty
    self.diffSHA256 = diffSHA256
    self.patch = patch
  }

  public static let none = GitState(isRepository: false)

  enum CodingKeys: String, CodingKey { case isRepository, commit, branch, dirty, diffSHA256 }
}
