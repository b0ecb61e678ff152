/// A contiguous, row-major Float32 tensor that can take part in reverse-mode autograd.
///
/// Values are immutable from the outside once an operation has used them (the tape keeps
/// references); parameters are updated in place only by optimizers, between steps.
public final class Tensor: @unchecked Sendable, CustomStringConvertible {
  public let shape: [Int]
  public let count: Int
  /// Variable only so that a replica's parameter can take its original's values (`shareValues(with:)`).
  private(set) var storage: Storage
  /// Whether gradients flow into this tensor; set on parameters, inferred for op results.
  public var requiresGrad: Bool
  var gradStorage: Storage?
  var node: Node?

  init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
    self.shape = shape
    self.count = storage.count
    self.storage = storage
    self.requiresGrad = requiresGrad
  }

  /// An uninitialized tensor for kernels that write every element.
  init(uninitializedShape shape: [Int]) {
    let n = Tensor.elementCount(shape)
    self.shape = shape
    self.count = n
    self.storage = Storage(count: n, zeroed: false)
    self.requiresGrad = false
  }

  public init(zeros shape: [Int], requiresGrad: Bool = false) {
    let n = Tensor.elementCount(shape)
    self.shape = shape
    self.count = n
    self.storage = Storage(count: n, zeroed: true)
    self.requiresGrad = requiresGrad
  }

  public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
    self.init(uninitializedShape: shape)
    pointer.update(repeating: value, count: count)
    self.requiresGrad = requiresGrad
  }

  public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) {
    precondition(
      values.count == Tensor.elementCount(shape),
      "Tensor: \(values.count) values do not fill shape \(shape)")
    self.init(uninitializedShape: shape)
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    self.requiresGrad = requiresGrad
  }

  /// A scalar (shape `[]`).
  public convenience init(scalar: Float) { self.init([scalar], shape: []) }

  static func elementCount(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape {
      precondition(d >= 0, "Tensor: negative dimension in shape \(shape)")
      n *= d
    }
    return n
  }

  @inline(__always) var pointer: UnsafeMutablePointer<Float> { storage.pointer }
  public var rank: Int { shape.count }
  /// The size of the last dimension (1 for scalars).
  public var lastDim: Int { shape.last ?? 1 }
  /// The number of rows when the tensor is seen as a matrix `[count / lastDim, lastDim]`.
  public var rows: Int { lastDim == 0 ? 0 : count / lastDim }

  public var scalars: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
  public var item: Float {
    precondition(count == 1, "Tensor.item: tensor has \(count) elements, shape \(shape)")
    return pointer[0]
  }

  /// The accumulated gradient, or nil if none has been computed.
  public var grad: Tensor? {
    gradStorage.map { Tensor(shape: shape, storage: $0) }
  }

  /// Read-only access to the values.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: pointer, count: count))
  }

  /// Write access, for optimizers, initializers and data loading; not for tensors a tape holds.
  public func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    try body(UnsafeMutableBufferPointer(start: pointer, count: count))
  }

  /// Overwrites the values in place from `values` (same element count).
  public func assign(_ values: [Float]) {
    precondition(values.count == count, "Tensor.assign: \(values.count) values for \(count) elements")
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
  }

  /// Overwrites the values in place from another tensor with the same element count.
  public func assign(_ other: Tensor) {
    precondition(other.count == count, "Tensor.assign: \(other.count) elements for \(count)")
    pointer.update(from: other.pointer, count: count)
  }

  /// A copy that shares nothing and records nothing.
  public func copy() -> Tensor {
    let t = Tensor(uninitializedShape: shape)
    t.pointer.update(from: pointer, count: count)
    return t
  }

  /// This value cut off from the tape.
  public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

  public var description: String {
    let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", ..." : "")])"
  }

  /// The gradient buffer, zero-filled on first use; backward kernels accumulate into it.
  @inline(__always) func gradPointer() -> UnsafeMutablePointer<Float> {
    if let g = gradStorage { return g.pointer }
    let g = Storage(count: count, zeroed: true)
    gradStorage = g
    return g.pointer
  }

  /// The gradient buffer for a GEMM that writes all of it: a fresh buffer is left uninitialised
  /// and the returned `beta` is 0 (overwrite), an existing one gets `beta` 1 (accumulate).
  @inline(__always) func gradPointerForGEMM() -> (UnsafeMutablePointer<Float>, Float) {
    if let g = gradStorage { return (g.pointer, 1) }
    let g = Storage(count: count, zeroed: false)
    gradStorage = g
    return (g.pointer, 0)
  }

  /// Clears the gradient to zero (keeps the buffer).
  public func zeroGrad() {
    if let g = gradStorage { g.pointer.update(repeating: 0, count: count) }
  }

  /// Drops the gradient buffer back to the pool.
  public func releaseGrad() { gradStorage = nil }

  /// Makes this tensor read and write `other`'s values (its gradient stays its own): a data-parallel replica's
  /// parameter sees every update of the original without a copy.
  public func shareValues(with other: Tensor) {
    precondition(other.shape == shape, "shareValues: shape \(other.shape) for \(shape)")
    storage = other.storage
  }

  /// Adds `other`'s gradient into this one's (allocating it if needed); nothing if `other` has none.
  public func accumulateGrad(from other: Tensor) {
    precondition(other.count == count, "accumulateGrad: \(other.count) elements for \(count)")
    guard let source = other.gradStorage else { return }
    let (g, s) = (UncheckedBox(gradPointer()), UncheckedBox(source.pointer))
    Parallel.forEachChunk(count, minimum: 1 << 15) { r in
      for i in r { g.value[i] += s.value[i] }
    }
  }
}
