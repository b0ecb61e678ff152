import Yams

extension ConfigValue {
  /// The value as a YAML document, keys sorted: the resolved config for trainers that read YAML
  /// (`ABLATE_CONFIG_YAML`, `{config_yaml}`). Strings that would read back as another type are quoted,
  /// and floats always carry a dot, so YAML 1.1 readers (PyYAML) see the same types as JSON readers.
  public var yaml: String {
    (try? Yams.serialize(node: node, sortKeys: true)) ?? "{}\n"
  }

  private var node: Node {
    switch self {
    case .null: Node.scalar(.init("null", Tag(.null)))
    case .bool(let b): Node.scalar(.init(b ? "true" : "false", Tag(.bool)))
    case .int(let i): Node.scalar(.init(String(i), Tag(.int)))
    case .double(let d): Node.scalar(.init(Self.yamlFloat(d), Tag(.float)))
    case .string(let s): Node.scalar(.init(s, Tag(.str), Self.readsAsAnotherType(s) ? .singleQuoted : .any))
    case .array(let items): Node.sequence(.init(items.map(\.node), Tag(.seq)))
    case .object(let fields):
      Node.mapping(.init(fields.map { (Node.scalar(.init($0.key, Tag(.str))), $0.value.node) }, Tag(.map)))
    }
  }

  /// True for a string that a YAML 1.1 or 1.2 reader would take for a bool, null or number ("yes", "1e5").
  private static func readsAsAnotherType(_ s: String) -> Bool {
    let words: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""]
    if words.contains(s.lowercased()) { return true }
    let plain = s.replacingOccurrences(of: "_", with: "")
    if Double(plain) != nil || Int(plain) != nil || plain.hasPrefix("0x") || plain.hasPrefix("0o") { return true }
    if let loaded = try? Yams.load(yaml: s) { return !(loaded is String) }
    return false
  }

  private static func yamlFloat(_ d: Double) -> String {
    if d.isNaN { return ".nan" }
    if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
    var text = "\(d)"
    if !text.contains(".") {
      // "1e-05" is a string to YAML 1.1; "1.0e-05" is a float.
      if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        text.insert(contentsOf: ".0", at: e)
      } else {
        text += ".0"
      }
    }
    return text
  }
}
