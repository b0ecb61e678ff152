import Foundation
import Primitives

extension NPYArray {
  /// Parses `.npy` bytes; a problem is a `WorldError` naming `file`.
  public init(data: Data, file: String) throws {
    do { try self.init(data: data) } catch {
      throw WorldError(file: file, line: 1, message: error.message, hint: NPYError.hint)
    }
  }

  public init(contentsOf url: URL) throws {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw WorldError(file: url.path, line: 0, message: "cannot read: \(error.localizedDescription)")
    }
    try self.init(data: data, file: url.path)
  }
}
