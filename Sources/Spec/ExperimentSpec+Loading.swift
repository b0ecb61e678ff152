import Foundation

extension ExperimentSpec {
  /// Reads a spec file, merges its `extends:` chain, applies `--set` overrides ("a.b=value", the value read as
  /// YAML), and validates the result. Every problem found is reported, one `SpecError` each.
  public static func load(path: String, overrides: [String] = []) throws(SpecErrors) -> ExperimentSpec {
    var loader = SpecFileLoader()
    let root = try loader.load(path: path).get()
    return try SpecValidator.validate(root: root, file: path, sourceFiles: loader.files, overrides: overrides)
  }

  /// Like `load(path:overrides:)` for YAML text; `file` names it in errors and anchors relative `extends:` paths.
  public static func parse(yaml: String, file: String, overrides: [String] = []) throws(SpecErrors)
    -> ExperimentSpec
  {
    var loader = SpecFileLoader()
    let root = try loader.load(text: yaml, path: file).get()
    return try SpecValidator.validate(root: root, file: file, sourceFiles: loader.files, overrides: overrides)
  }
}

/// Reads spec files and resolves `extends:` chains into one merged tree.
///
/// Merge rules, child over parent: `baseline` and `run` deep-merge (mappings merge key by key, anything else is
/// replaced); `variants` append (the parent's rows first); `report` is replaced whole unless it says
/// `inherit: true`, when each key it gives replaces the parent report's key of that name; every other key is
/// replaced whole.
struct SpecFileLoader {
  /// Files read, the spec first, then its ancestors.
  private(set) var files: [String] = []
  private var chain: [(canonical: String, display: String)] = []

  mutating func load(path: String) -> Result<SourceNode, SpecErrors> {
    load(path: path, from: nil, written: path)
  }

  mutating func load(text: String, path: String) -> Result<SourceNode, SpecErrors> {
    files.append(path)
    chain.append((Self.canonicalPath(path), path))
    return YAMLReader.read(text: text, file: path).flatMap { resolveBaselineFrom(of: $0, file: path) }
      .flatMap { resolveExtends(of: $0, file: path) }
  }

  private static func canonicalPath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
  }

  /// `reference` is the `extends:` value that names `path` (as `written`), nil for the spec itself.
  private mutating func load(path: String, from reference: SourceLocation?, written: String)
    -> Result<SourceNode, SpecErrors>
  {
    let canonical = Self.canonicalPath(path)
    if let reference, let start = chain.firstIndex(where: { $0.canonical == canonical }) {
      let cycle = (chain[start...].map(\.display) + [path]).joined(separator: " -> ")
      return .failure(
        SpecErrors([
          SpecError(
            reference, "'extends' cycle: \(cycle)", hint: "a spec may not extend itself, directly or not")
        ]))
    }
    let data: Data
    switch Self.readFile(path) {
    case .success(let d): data = d
    case .failure(let problem):
      if let reference {
        return .failure(
          SpecErrors([
            SpecError(
              reference, "'extends' target '\(written)' \(problem)",
              hint: "looked for \(path); the path is relative to the extending file's folder")
          ]))
      }
      return .failure(
        SpecErrors([SpecError(SourceLocation(file: path, line: 1, column: 1), "cannot read spec: \(problem)")]
        ))
    }
    files.append(path)
    chain.append((canonical, path))
    defer { chain.removeLast() }
    return YAMLReader.read(data: data, file: path).flatMap { resolveBaselineFrom(of: $0, file: path) }
      .flatMap { resolveExtends(of: $0, file: path) }
  }

  /// The largest spec file read: a bigger one is refused before any byte is parsed (a 50 MB file once took
  /// 15 s and 2 GB to reject).
  static let maxSpecBytes = 8 << 20

  private enum ReadProblem: Error, CustomStringConvertible {
    case missing, directory, notAFile, tooLarge(UInt64), unreadable(String)
    var description: String {
      switch self {
      case .missing: "does not exist"
      case .directory: "is a folder, not a file"
      case .notAFile: "is not a regular file (a device, pipe or socket)"
      case .tooLarge(let bytes):
        "is \(bytes >> 20) MiB; a spec may be at most \(SpecFileLoader.maxSpecBytes >> 20) MiB"
      case .unreadable(let why): "cannot be read (\(why))"
      }
    }
  }

  private static func readFile(_ path: String) -> Result<Data, ReadProblem> {
    var info = stat()
    guard stat(path, &info) == 0 else {
      return errno == ENOENT || errno == ENOTDIR
        ? .failure(.missing) : .failure(.unreadable(String(cString: strerror(errno))))
    }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return .failure(.directory)
    case S_IFREG: break
    default: return .failure(.notAFile)
    }
    if info.st_size > maxSpecBytes { return .failure(.tooLarge(UInt64(info.st_size))) }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      return .failure(.unreadable(String(cString: strerror(errno))))
    }
    defer { try? handle.close() }
    do {
      // Bounded even if the file grows while it is read.
      let data = try handle.read(upToCount: maxSpecBytes + 1) ?? Data()
      return data.count > maxSpecBytes ? .failure(.tooLarge(UInt64(data.count))) : .success(data)
    } catch {
      return .failure(.unreadable((error as NSError).localizedDescription))
    }
  }

  private mutating func resolveExtends(of node: SourceNode, file: String) -> Result<SourceNode, SpecErrors> {
    guard var entries = node.entries else {
      return .failure(
        SpecErrors([
          SpecError(
            node.location, "a spec must be a mapping of keys, found \(node.kindDescription)",
            hint: "start with 'name:', 'trainer:' and 'baseline:'")
        ]))
    }
    guard let index = entries.firstIndex(where: { $0.key == "extends" }) else { return .success(node) }
    let entry = entries.remove(at: index)
    let target: String
    do { target = try Self.filePath(entry, example: "base.yaml").get() } catch { return .failure(error) }
    let parentPath = Self.relativePath(target, to: file)
    return load(path: parentPath, from: entry.value.location, written: target).map { parent in
      SourceNode(
        kind: .map(Self.merge(parent: parent.entries ?? [], child: entries)), location: node.location)
    }
  }

  /// `baseline_from: FILE` takes a trainer's own YAML config as the bottom layer of this file's `baseline`
  /// (the spec's `baseline:` keys override it), so its content joins every cell's identity and a problem in
  /// it is reported at its own `file:line:col`.
  private mutating func resolveBaselineFrom(of node: SourceNode, file: String) -> Result<
    SourceNode, SpecErrors
  > {
    guard var entries = node.entries, let index = entries.firstIndex(where: { $0.key == "baseline_from" })
    else {
      return .success(node)
    }
    let entry = entries.remove(at: index)
    let target: String
    do { target = try Self.filePath(entry, example: "cfgs/base.yaml").get() } catch { return .failure(error) }
    let path = Self.relativePath(target, to: file)
    let data: Data
    switch Self.readFile(path) {
    case .success(let d): data = d
    case .failure(let problem):
      return .failure(
        SpecErrors([
          SpecError(
            entry.value.location, "'baseline_from' file '\(target)' \(problem)",
            hint: "looked for \(path); the path is relative to the spec's folder")
        ]))
    }
    files.append(path)
    return YAMLReader.read(data: data, file: path).flatMap { config in
      guard config.entries != nil else {
        return .failure(
          SpecErrors([
            SpecError(
              config.location,
              "a 'baseline_from' config must be a mapping of keys, found \(config.kindDescription)")
          ]))
      }
      if let b = entries.firstIndex(where: { $0.key == "baseline" }) {
        entries[b] = SourceNode.Entry(
          key: "baseline", keyLocation: entries[b].keyLocation,
          value: Self.deepMerge(config, entries[b].value))
      } else {
        entries.append(SourceNode.Entry(key: "baseline", keyLocation: entry.keyLocation, value: config))
      }
      return .success(SourceNode(kind: .map(entries), location: node.location))
    }
  }

  /// The file path a key like `extends:` names; anything else is an error at its value.
  static func filePath(_ entry: SourceNode.Entry, example: String) -> Result<String, SpecErrors> {
    guard case .scalar(.string(let target), _) = entry.value.kind, !target.isEmpty else {
      return .failure(
        SpecErrors([
          SpecError(
            entry.value.location,
            "expected a file path for '\(entry.key)', found \(entry.value.kindDescription)",
            hint: "write \(entry.key): \(example)")
        ]))
    }
    return .success(target)
  }

  /// `target` as seen from the folder of `file`, kept relative when `file` is.
  static func relativePath(_ target: String, to file: String) -> String {
    if target.hasPrefix("/") { return target }
    let folder = (file as NSString).deletingLastPathComponent
    if folder.isEmpty || folder == "." { return target }
    return (folder as NSString).appendingPathComponent(target)
  }

  static func merge(parent: [SourceNode.Entry], child: [SourceNode.Entry]) -> [SourceNode.Entry] {
    var merged = parent
    for entry in child {
      guard let i = merged.firstIndex(where: { $0.key == entry.key }) else {
        merged.append(entry)
        continue
      }
      switch entry.key {
      case "baseline", "run":
        merged[i] = SourceNode.Entry(
          key: entry.key, keyLocation: entry.keyLocation, value: deepMerge(merged[i].value, entry.value))
      case "variants":
        if let old = merged[i].value.items, let new = entry.value.items {
          merged[i] = SourceNode.Entry(
            key: entry.key, keyLocation: entry.keyLocation,
            value: SourceNode(kind: .list(old + new), location: entry.value.location))
        } else {
          merged[i] = entry
        }
      case "report":
        merged[i] = inheritedReport(parent: merged[i], child: entry) ?? entry
      default:
        merged[i] = entry
      }
    }
    return merged
  }

  /// A child report that says `inherit: true` over its parent's: the parent's keys in their order, each key the
  /// child gives replacing the parent's whole (a new `columns:` list replaces the old one). Nil when the child
  /// does not inherit, or either is not a mapping (the validator then reports what it finds).
  static func inheritedReport(parent: SourceNode.Entry, child: SourceNode.Entry) -> SourceNode.Entry? {
    guard let parentEntries = parent.value.entries, let childEntries = child.value.entries,
      case .bool(true)? = child.value["inherit"]?.value.scalar
    else { return nil }
    var merged = parentEntries
    for entry in childEntries where entry.key != "inherit" {
      if let i = merged.firstIndex(where: { $0.key == entry.key }) {
        merged[i] = entry
      } else {
        merged.append(entry)
      }
    }
    return SourceNode.Entry(
      key: child.key, keyLocation: child.keyLocation,
      value: SourceNode(kind: .map(merged), location: child.value.location))
  }

  static func deepMerge(_ base: SourceNode, _ over: SourceNode) -> SourceNode {
    guard let baseEntries = base.entries, let overEntries = over.entries else { return over }
    var merged = baseEntries
    for entry in overEntries {
      if let i = merged.firstIndex(where: { $0.key == entry.key }) {
        merged[i] = SourceNode.Entry(
          key: entry.key, keyLocation: entry.keyLocation, value: deepMerge(merged[i].value, entry.value))
      } else {
        merged.append(entry)
      }
    }
    return SourceNode(kind: .map(merged), location: over.location)
  }
}
