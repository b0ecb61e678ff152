@_exported import Tensor

/// A layer or model: a class whose stored properties are its parameters (tensors with
/// `requiresGrad`), its sub-modules, and arrays of sub-modules. Names come from the property
/// paths (`layers.0.attention.qkv.weight`), as in PyTorch's `state_dict`.
public protocol Module: AnyObject {}

extension Module {
  /// Every parameter with its dotted path, in declaration order (stable across runs).
  public func namedParameters() -> [(String, Tensor)] {
    var out: [(String, Tensor)] = []
    collect(self, prefix: "", into: &out)
    return out
  }

  public var parameters: [Tensor] { namedParameters().map(\.1) }

  /// The number of scalar parameters.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// Two groups: decay for matrices, none for rank-1 parameters (biases and LayerNorm gains),
  /// as in BERT; pass `noDecay` to choose otherwise.
  public func parameterGroups(
    weightDecay: Float, noDecay: (String, Tensor) -> Bool = { _, t in t.rank <= 1 }
  ) -> [ParameterGroup] {
    let named = namedParameters()
    let decayed = named.filter { !noDecay($0.0, $0.1) }.map(\.1)
    let plain = named.filter { noDecay($0.0, $0.1) }.map(\.1)
    return [ParameterGroup(decayed, weightDecay: weightDecay), ParameterGroup(plain, weightDecay: 0)]
  }

  /// Copies values in from `tensors` by name; every parameter must be present with its shape.
  public func loadParameters(_ tensors: [String: Tensor]) throws {
    for (name, p) in namedParameters() {
      guard let t = tensors[name] else { throw StateMismatchError("checkpoint lacks parameter '\(name)'") }
      guard t.shape == p.shape else {
        throw StateMismatchError(
          "parameter '\(name)' has shape \(t.shape) in the checkpoint, \(p.shape) in the model")
      }
      p.assign(t)
    }
  }

  public func zeroGrad() { for p in parameters { p.zeroGrad() } }

  /// Every random generator held by the module tree (dropout streams), by property path; a
  /// checkpoint saves their states so that a resumed run draws the same masks.
  public func namedGenerators() -> [(String, RandomGenerator)] {
    var out: [(String, RandomGenerator)] = []
    var seen = Set<ObjectIdentifier>()
    visit(self, prefix: "") { name, value in
      if let g = value as? RandomGenerator, seen.insert(ObjectIdentifier(g)).inserted {
        out.append((name, g))
      }
    }
    return out
  }
}

/// Walks stored properties depth-first, descending into modules, arrays of modules and optionals.
private func visit(_ module: Module, prefix: String, _ body: (String, Any) -> Void) {
  for child in Mirror(reflecting: module).children {
    guard let label = child.label else { continue }
    visitValue(child.value, name: prefix.isEmpty ? label : "\(prefix).\(label)", body)
  }
}

private func visitValue(_ value: Any, name: String, _ body: (String, Any) -> Void) {
  if let m = value as? Module {
    visit(m, prefix: name, body)
  } else if let ms = value as? [Module] {
    for (i, m) in ms.enumerated() { visit(m, prefix: "\(name).\(i)", body) }
  } else {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
      if let some = mirror.children.first { visitValue(some.value, name: name, body) }
    } else {
      body(name, value)
    }
  }
}

private func collect(_ value: Any, prefix: String, into out: inout [(String, Tensor)]) {
  for child in Mirror(reflecting: value).children {
    guard let label = child.label else { continue }
    let name = prefix.isEmpty ? label : "\(prefix).\(label)"
    collectValue(child.value, name: name, into: &out)
  }
}

private func collectValue(_ value: Any, name: String, into out: inout [(String, Tensor)]) {
  if let t = value as? Tensor {
    if t.requiresGrad { out.append((name, t)) }
  } else if let m = value as? Module {
    collect(m, prefix: name, into: &out)
  } else if let ms = value as? [Module] {
    for (i, m) in ms.enumerated() { collect(m, prefix: "\(name).\(i)", into: &out) }
  } else if let ts = value as? [Tensor] {
    for (i, t) in ts.enumerated() where t.requiresGrad { out.append(("\(name).\(i)", t)) }
  } else {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional, let some = mirror.children.first {
      collectValue(some.value, name: name, into: &out)
    }
  }
}
