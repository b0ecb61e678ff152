/// A libgit2 call that failed for a reason other than "no repository here".
public struct GitError: Error, Sendable, CustomStringConvertible {
  public var operation: String
  public var code: Int32
  public var message: String

  public var description: String { "git: \(operation) failed (\(code)): \(message)" }
}
