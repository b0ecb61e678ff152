import Foundation
import Hashing
import Primitives
import Provenance
import Spec
import TrainerProtocol

/// How to start a spec's trainer, and the identity that goes into every cell id.
public struct TrainerLaunch: Sendable, Hashable {
  public var argv: [String]
  /// builtin -> "builtin:NAME@VERSION"; command -> argv, plus the sha256 of each argument naming a file, so
  /// editing `train.py` invalidates its cells while editing the spec's comments does not.
  public var identity: String
  /// The directory the command runs in: the spec's own.
  public var workingDirectory: String
  /// The stages every cell runs first, each after the ones it needs.
  public var stages: [StageLaunch] = []
  /// The stages whose output directories each cell receives (`ABLATE_INPUTS`).
  public var needs: [String] = []
  /// What the trainer records beside its results (a built-in trainer declares it; a command declares none).
  public var bookkeeping: TrainerBookkeeping = .none

  public init(argv: [String], identity: String, workingDirectory: String) {
    self.argv = argv
    self.identity = identity
    self.workingDirectory = workingDirectory
  }

  /// Resolves a spec's trainer; throws `RunError` for an unknown built-in.
  public static func resolve(
    _ spec: ExperimentSpec, registry: BuiltinRegistry, executable: String
  ) throws -> TrainerLaunch {
    let directory = URL(fileURLWithPath: spec.file).deletingLastPathComponent().standardizedFileURL.path
    var launch: TrainerLaunch
    switch spec.trainer {
    case .builtin(let name):
      guard let trainer = registry[name] else {
        let known = registry.names.joined(separator: ", ")
        let at = spec.trainerLocation.map(\.description) ?? spec.file
        throw RunError("\(at): unknown built-in trainer '\(name)' (hint: one of \(known))")
      }
      launch = TrainerLaunch(
        argv: [executable, "exec-builtin", name], identity: "builtin:\(name)@\(trainer.version)",
        workingDirectory: directory)
      launch.bookkeeping = trainer.bookkeeping
    case .command(let argv):
      launch = TrainerLaunch(
        argv: argv,
        identity: try commandIdentity(argv, code: spec.trainerCode, in: directory, spec: spec.file),
        workingDirectory: directory)
    }
    launch.stages = try spec.neededStages.map { stage in
      StageLaunch(
        stage: stage,
        identity: try commandIdentity(stage.command, code: stage.code, in: directory, spec: spec.file))
    }
    // A stage's code and declaration are part of every cell that needs it: editing the pre-training
    // script re-runs the fine-tuning cells too.
    for stage in launch.stages { launch.identity += "\n" + stage.declaration }
    launch.needs = spec.needs
    return launch
  }

  /// argv, plus the sha256 of each argument naming a file, plus the content of `code` paths.
  static func commandIdentity(_ argv: [String], code: [String], in directory: String, spec: String) throws
    -> String
  {
    var parts: [String] = []
    for argument in argv {
      let path = argument.hasPrefix("/") ? argument : directory + "/" + argument
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let sha256 = try? SHA256.hex(fileAt: URL(fileURLWithPath: path))
      {
        parts.append(argument + "#sha256=" + sha256)
      } else {
        parts.append(argument)
      }
    }
    var identity = "command:" + Self.jsonArray(parts)
    if !code.isEmpty {
      do {
        identity += "\ncode:" + (try CodeIdentity.hash(paths: code, relativeTo: directory))
      } catch {
        throw RunError("\(spec): cannot read 'code': \(error.localizedDescription)")
      }
    }
    return identity
  }

  /// The trainer's executable as the runner will start it, checked before the first cell so that a missing
  /// program is one error up front, not a failed cell each. A bare name is searched in `PATH`, a path is taken
  /// relative to the spec's directory (where the command runs).
  public func resolveExecutable(path: String? = ProcessInfo.processInfo.environment["PATH"])
    throws(MissingTrainer)
    -> String
  {
    let program = argv[0]
    let candidates: [String]
    if program.contains("/") {
      candidates = [program.hasPrefix("/") ? program : workingDirectory + "/" + program]
    } else {
      candidates = (path ?? "/usr/bin:/bin").split(separator: ":").map {
        "\($0.isEmpty ? "." : $0)/\(program)"
      }
    }
    let fm = FileManager.default
    for candidate in candidates {
      var isDirectory: ObjCBool = false
      if fm.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
        fm.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
    }
    if let found = candidates.first(where: { fm.fileExists(atPath: $0) }) {
      throw MissingTrainer("trainer '\(program)' at \(found) is not an executable file (hint: chmod +x it)")
    }
    let place = program.contains("/") ? "at \(candidates[0])" : "in PATH"
    throw MissingTrainer("trainer executable '\(program)' not found \(place)")
  }

  static func jsonArray(_ items: [String]) -> String {
    "[" + items.map { JSONString.quoted($0) }.joined(separator: ",") + "]"
  }
}

/// A run that cannot start: one line for the user, exit code 2.
public struct RunError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The trainer's program is not there: an environment failure, reported once before any cell runs.
public struct MissingTrainer: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
