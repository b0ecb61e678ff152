import ArgumentParser
import Foundation
import Primitives
import TrainerProtocol
import World

/// `ablate world`: build, inspect and export the embedded synthetic world.
struct WorldCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "world",
    abstract: "Build, inspect and export the embedded synthetic visual-linguistic world.",
    subcommands: [Stats.self, Export.self, Show.self])

  struct WorldOptions: ParsableArguments {
    @Option(help: "World scale: smoke, small or paper.")
    var scale: WorldScale = .small

    @Option(help: "World seed (a spec's default too).")
    var seed: UInt64 = WorldCache.defaultSeed

    @Option(help: "Cache directory for built worlds (default: the store's, where `ablate run` caches them).")
    var cache: String?

    @Option(
      name: .customLong("world-version"),
      help: "World version: \(Self.versionList) (default \(WorldVersion.standard.rawValue)).")
    var worldVersion: Int = WorldVersion.standard.rawValue

    /// "1, 2 or 3": every known version, for help and hints.
    static var versionList: String {
      let all = WorldVersion.allCases.map { String($0.rawValue) }
      return all.dropLast().joined(separator: ", ") + " or " + all.last!
    }

    func resolvedVersion() throws -> WorldVersion {
      guard let v = WorldVersion(rawValue: worldVersion) else {
        throw WorldError(
          file: "--world-version", line: 1, message: "unknown world version \(worldVersion)",
          hint: "use \(Self.versionList)")
      }
      return v
    }

    @OptionGroup var store: StoreOption

    func load(quiet: Bool) throws -> WorldData {
      let root = cache.map { URL(fileURLWithPath: $0) } ?? RunLayout(storePath: store.path).worldCache
      return try WorldCache.load(
        scale: scale, seed: seed, version: try resolvedVersion(), root: root
      ) { message in
        if !quiet { FileHandle.standardError.write(Data("world: \(message)\n".utf8)) }
      }
    }
  }

  /// Runs `body`: a world error (it carries the file and line) is bad input, anything else the environment.
  static func guarded(_ body: () throws -> Void) throws {
    do { try body() } catch let error as WorldError {
      throw CLIError.badInput(error.description)
    } catch let error as ExitCode {
      throw error
    } catch {
      throw CLIError(error) ?? .environment(error.localizedDescription)
    }
  }

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Counts, lengths, answer distribution, baselines and detector quality.")

    @OptionGroup var world: WorldOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
      try WorldCommand.guarded {
        let stats = try world.load(quiet: json).stats()
        if json {
          let encoder = JSONEncoder()
          encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
          print(String(decoding: try encoder.encode(stats), as: UTF8.self))
        } else {
          print(stats.text, terminator: "")
        }
      }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the datasets, regions, features and detector (JSON lines and .npy) to a directory.")

    @OptionGroup var world: WorldOptions

    @Argument(help: "A new (or empty) directory.")
    var directory: String

    func run() throws {
      try WorldCommand.guarded {
        let data = try world.load(quiet: false)
        try data.export(to: URL(fileURLWithPath: directory))
        print("exported \(data.name) to \(directory)")
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draw a few scenes with their boxes, captions and questions (SVG, or PNG scenes).")

    @OptionGroup var world: WorldOptions

    @Option(name: .shortAndLong, help: "Output file: .svg (scenes and text) or .png (one scene, boxes only).")
    var output: String = "world.svg"

    @Option(help: "Image ids to draw (default: the first image of each dataset).")
    var images: [Int] = []

    func run() throws {
      try WorldCommand.guarded {
        let layout = WorldLayout(
          seed: world.seed, scale: world.scale, version: try world.resolvedVersion())
        var ids = images
        if ids.isEmpty {
          for dataset in DatasetName.allCases {
            if let first = layout.images.first(where: { $0.dataset == dataset }) { ids.append(first.id) }
          }
        }
        for id in ids where !layout.images.indices.contains(id) {
          throw WorldError(
            file: "--images", line: 1, message: "no image \(id)",
            hint: "ids run from 0 to \(layout.images.count - 1)")
        }
        let url = URL(fileURLWithPath: output)
        let bytes: Data
        switch url.pathExtension.lowercased() {
        case "svg": bytes = Data(WorldShow.svg(layout, images: ids).utf8)
        case "png": bytes = Data(WorldShow.png(layout.scenes[ids[0]]))
        default:
          throw WorldError(
            file: "--output", line: 1, message: "unknown extension '.\(url.pathExtension)'",
            hint: "use .svg or .png")
        }
        do { try AtomicFile.write(bytes, to: url.path) } catch let error as AtomicFile.WriteError {
          throw WorldError(
            file: output, line: 1, message: "cannot write the file (\(error.reason))",
            hint: "check the directory exists")
        }
        print(
          "wrote \(output) (\(ids.count == 1 || url.pathExtension == "png" ? "1 scene" : "\(ids.count) scenes"))"
        )
      }
    }
  }
}

extension WorldScale: ExpressibleByArgument {}
