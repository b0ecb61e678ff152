import COpenBLAS
import Hashing
import Foundation

/// Where and with what a run happened: code revision, machine, toolchain, BLAS, command line.
///
/// Recorded once per distinct value (`hash`) and shared by every cell run under it.
public struct Provenance: Sendable, Hashable, Codable {
  public var git: GitState
  public var host: String
  public var os: String
  public var toolchain: String
  public var ablateVersion: String
  public var blas: BLASInfo
  public var commandLine: [String]

  public init(
    git: GitState, host: String, os: String, toolchain: String, ablateVersion: String, blas: BLASInfo,
    commandLine: [String]
  ) {
    self.git = git
    self.host = host
    self.os = os
    self.toolchain = toolchain
    self.ablateVersion = ablateVersion
    self.blas = blas
    self.commandLine = commandLine
  }

  /// Gathers everything for a run started from `commandLine` on code in `directory`.
  public static func collect(
    directory: String, ablateVersion: String, commandLine: [String], ignoring: [String] = []
  ) throws -> Provenance {
    Provenance(
      git: try GitState.read(at: directory, ignoring: ignoring),
      host: ProcessInfo.processInfo.hostName,
      os: ProcessInfo.processInfo.operatingSystemVersionString,
      toolchain: toolchainVersion,
      ablateVersion: ablateVersion,
      blas: .current,
      commandLine: commandLine)
  }

  /// Stable JSON (sorted keys), the form that is stored and hashed.
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
  }

  /// sha256 of `json`.
  public var hash: String { SHA256.hex(json) }

  /// The Swift compiler that built this binary.
  public static var toolchainVersion: String {
    #if compiler(>=6.3)
      "Swift 6.3+"
    #elseif compiler(>=6.2)
      "Swift 6.2"
    #elseif compiler(>=6.1)
      "Swift 6.1"
    #else
      "Swift 6.0"
    #endif
  }
}

/// The BLAS library the process linked, as it reports itself.
public struct BLASInfo: Sendable, Hashable, Codable {
  public var config: String
  public var core: String
  public var threads: Int

  public init(config: String, core: String, threads: Int) {
    self.config = config
    self.core = core
    self.threads = threads
  }

  public static var current: BLASInfo {
    BLASInfo(
      config: openblas_get_config().map { String(cString: $0) } ?? "unknown",
      core: openblas_get_corename().map { String(cString: $0) } ?? "unknown",
      threads: Int(openblas_get_num_threads()))
  }
}
