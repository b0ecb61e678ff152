import Foundation
import GRDB

/// A problem with the store itself (not with one cell), printed as one line by the CLI.
///
/// SQLite's errors are translated here, once, into the cause a user can act on (a full disk, a permission, a
/// file that is not an ablate store), so no command prints a raw `SQLite error 13`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  /// The cause of `error`, raised while using the store at `path`.
  public init(path: String, _ error: any Error) {
    self.path = path
    guard let error = error as? DatabaseError else {
      if let error = error as? StoreError {
        self = error
      } else {
        message = "\(error)"
      }
      return
    }
    let detail = error.message ?? "\(error.resultCode)"
    switch error.resultCode {
    case .SQLITE_FULL:
      message = "the disk is full (\(detail)); free some space and run again"
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
      message = "no permission to write the store (\(detail))"
    case .SQLITE_CANTOPEN:
      message = "cannot open the store (\(detail)); check the directory exists and is writable"
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      message = "another process held the store's write lock too long (\(detail)); try again"
    case .SQLITE_CORRUPT, .SQLITE_NOTADB:
      message = "not an SQLite database, or damaged (\(detail))"
    case .SQLITE_IOERR where DiskSpace.isFull(at: URL(fileURLWithPath: path).deletingLastPathComponent().path):
      message = "the disk is full (\(detail)); free some space and run again"
    case .SQLITE_IOERR:
      message = "I/O error (\(detail)); is the disk full or gone?"
    default:
      if detail.hasPrefix("no such table") || detail.hasPrefix("no such column") {
        message = "not an ablate store, or damaged (\(detail))"
      } else {
        message = detail
      }
    }
  }

  public var description: String { "\(path): \(message)" }
}
