/// A small multilayer perceptron with ReLU between layers, softmax cross-entropy and AdamW,
/// written out by hand. It is what the detector stage (and the probes that measure it) need, and
/// nothing more; weights are stored [in, out] so `y = x W + b`.
public final class MLP: @unchecked Sendable {
  public struct Layer: Sendable {
    public var inputs: Int
    public var outputs: Int
    public var weight: [Float]
    public var bias: [Float]
  }

  public private(set) var layers: [Layer]
  private var m: [[Float]] = []
  private var v: [[Float]] = []
  private var step = 0

  /// He-initialized layers of widths `widths[0] -> widths[1] -> ...`.
  public init(widths: [Int], rng: inout SeededRandom) {
    layers = zip(widths, widths.dropFirst()).map { n, k in
      let scale = (2 / Float(n)).squareRoot()
      return Layer(
        inputs: n, outputs: k, weight: (0..<(n * k)).map { _ in scale * rng.normal() },
        bias: [Float](repeating: 0, count: k))
    }
  }

  public init(layers: [Layer]) { self.layers = layers }

  /// Makes the first layer's weights equal across `planes` input planes of `plane` values each
  /// (each set to the first plane's weight, scaled to keep the layer's output variance).
  public func tieChannels(planes: Int, plane: Int) {
    let k = layers[0].outputs
    let scale = 1 / Float(planes).squareRoot()
    for p in 0..<plane {
      for o in 0..<k {
        let w = layers[0].weight[p * k + o] * scale
        for c in 0..<planes { layers[0].weight[(c * plane + p) * k + o] = w }
      }
    }
  }

  /// y[b, :] = x[b, :] W + bias, for a batch of `rows`.
  static func affine(
    _ x: UnsafePointer<Float>, rows: Int, _ layer: Layer, into y: UnsafeMutablePointer<Float>
  ) {
    let n = layer.inputs
    let k = layer.outputs
    layer.weight.withUnsafeBufferPointer { w in
      for r in 0..<rows {
        let out = y + r * k
        for o in 0..<k { out[o] = layer.bias[o] }
        for i in 0..<n {
          let a = x[r * n + i]
          if a == 0 { continue }
          let row = w.baseAddress! + i * k
          for o in 0..<k { out[o] += a * row[o] }
        }
      }
    }
  }

  /// Activations of every layer for a batch (ReLU applied to all but the last).
  func forward(_ x: [Float], rows: Int) -> [[Float]] {
    var acts = [x]
    for (l, layer) in layers.enumerated() {
      var y = [Float](repeating: 0, count: rows * layer.outputs)
      acts[l].withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          MLP.affine(xp.baseAddress!, rows: rows, layer, into: yp.baseAddress!)
        }
      }
      if l < layers.count - 1 { for j in y.indices where y[j] < 0 { y[j] = 0 } }
      acts.append(y)
    }
    return acts
  }

  /// Logits for a batch of `rows` inputs.
  public func logits(_ x: [Float], rows: Int) -> [Float] { forward(x, rows: rows).last! }

  /// The last hidden layer's activations (the detector's appearance feature).
  public func features(_ x: [Float], rows: Int) -> [Float] {
    let acts = forward(x, rows: rows)
    return acts[acts.count - 2]
  }

  /// Row-wise softmax of logits with `k` classes.
  public static func softmax(_ logits: [Float], classes k: Int) -> [Float] {
    var p = logits
    for r in 0..<(logits.count / k) {
      let row = r * k
      var mx = -Float.infinity
      for j in 0..<k { mx = max(mx, p[row + j]) }
      var sum: Float = 0
      for j in 0..<k {
        p[row + j] = expf(p[row + j] - mx)
        sum += p[row + j]
      }
      for j in 0..<k { p[row + j] /= sum }
    }
    return p
  }

  /// One AdamW step on the mean cross-entropy of a batch; returns the loss.
  @discardableResult
  public func train(
    _ x: [Float], labels: [Int], learningRate: Float, weightDecay: Float = 1e-4
  ) -> Float {
    let rows = labels.count
    let acts = forward(x, rows: rows)
    let k = layers.last!.outputs
    var grad = MLP.softmax(acts.last!, classes: k)
    var loss: Float = 0
    for r in 0..<rows {
      loss -= logf(max(grad[r * k + labels[r]], 1e-12))
      grad[r * k + labels[r]] -= 1
    }
    for j in grad.indices { grad[j] /= Float(rows) }
    if m.isEmpty {
      m = layers.map { [Float](repeating: 0, count: $0.weight.count + $0.bias.count) }
      v = m
    }
    step += 1
    var grads: [[Float]] = Array(repeating: [], count: layers.count)
    for l in stride(from: layers.count - 1, through: 0, by: -1) {
      let layer = layers[l]
      let n = layer.inputs
      let kk = layer.outputs
      var g = [Float](repeating: 0, count: n * kk + kk)
      let input = acts[l]
      for r in 0..<rows {
        for o in 0..<kk { g[n * kk + o] += grad[r * kk + o] }
        grad.withUnsafeBufferPointer { gp in
          g.withUnsafeMutableBufferPointer { gw in
            let dy = gp.baseAddress! + r * kk
            for i in 0..<n {
              let a = input[r * n + i]
              if a == 0 { continue }
              let row = gw.baseAddress! + i * kk
              for o in 0..<kk { row[o] += a * dy[o] }
            }
          }
        }
      }
      grads[l] = g
      if l > 0 {
        var dx = [Float](repeating: 0, count: rows * n)
        layer.weight.withUnsafeBufferPointer { w in
          for r in 0..<rows {
            for i in 0..<n where input[r * n + i] > 0 {  // ReLU gate of the previous layer
              var s: Float = 0
              let row = w.baseAddress! + i * kk
              for o in 0..<kk { s += row[o] * grad[r * kk + o] }
              dx[r * n + i] = s
            }
          }
        }
        grad = dx
      }
    }
    let b1: Float = 0.9
    let b2: Float = 0.999
    let c1 = 1 - powf(b1, Float(step))
    let c2 = 1 - powf(b2, Float(step))
    for l in layers.indices {
      let nw = layers[l].weight.count
      for j in 0..<grads[l].count {
        let gj = grads[l][j]
        m[l][j] = b1 * m[l][j] + (1 - b1) * gj
        v[l][j] = b2 * v[l][j] + (1 - b2) * gj * gj
        let update = learningRate * (m[l][j] / c1) / ((v[l][j] / c2).squareRoot() + 1e-8)
        if j < nw {
          layers[l].weight[j] -= update + learningRate * weightDecay * layers[l].weight[j]
        } else {
          layers[l].bias[j - nw] -= update
        }
      }
    }
    return loss / Float(rows)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
