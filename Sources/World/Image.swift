/// An 8-bit RGB image, row-major, channels interleaved (HWC), as a real photograph would be stored.
public struct Image: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public var pixels: [UInt8]

  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(pixels.count == width * height * 3)
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// Channel `c` of pixel (x, y) in [0, 1].
  @inline(__always) func value(_ x: Int, _ y: Int, _ c: Int) -> Float {
    Float(pixels[(y * width + x) * 3 + c]) / 255
  }

  /// The region `box` resampled (bilinear, pixel centres) to `side` x `side`, channel-major
  /// (CHW, the layout of a 3x16x16 = 768-float patch), as 8-bit values.
  public func patch(_ box: Box, side: Int = Patch.side) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 3 * side * side)
    let sx = box.width / Float(side)
    let sy = box.height / Float(side)
    for j in 0..<side {
      let fy = min(max(box.y1 + (Float(j) + 0.5) * sy - 0.5, 0), Float(height - 1))
      let y0 = Int(fy)
      let y1 = min(y0 + 1, height - 1)
      let wy = fy - Float(y0)
      for i in 0..<side {
        let fx = min(max(box.x1 + (Float(i) + 0.5) * sx - 0.5, 0), Float(width - 1))
        let x0 = Int(fx)
        let x1 = min(x0 + 1, width - 1)
        let wx = fx - Float(x0)
        for c in 0..<3 {
          let top = value(x0, y0, c) * (1 - wx) + value(x1, y0, c) * wx
          let bottom = value(x0, y1, c) * (1 - wx) + value(x1, y1, c) * wx
          let v = top * (1 - wy) + bottom * wy
          out[c * side * side + j * side + i] = UInt8(min(max((v * 255).rounded(), 0), 255))
        }
      }
    }
    return out
  }
}

/// The region patch format shared by the detector and the trainer.
public enum Patch {
  /// Patches are `side` x `side` RGB.
  public static let side = 16
  /// Floats per patch: 3 x 16 x 16.
  public static let length = 3 * side * side

  /// The network's view of an 8-bit patch: value / 255 - 0.5, so inputs are centred.
  @inline(__always) public static func float(_ byte: UInt8) -> Float { Float(byte) / 255 - 0.5 }
}

extension Scene {
  /// Renders the scene in its domain: a lit, tinted background with a gradient (and, in the photo
  /// domain, muted clutter and a colour cast), the objects in order with their colour (jittered per
  /// object) and texture, then per-pixel sensor noise, quantized to 8 bits.
  public func render() -> Image {
    let s = Scene.size
    let d = domain.parameters
    var rng = SeededRandom(seed: noiseSeed)
    var canvas = [Float](repeating: 0, count: s * s * 3)
    let tint = (rng.uniform(-d.tint...d.tint), rng.uniform(-d.tint...d.tint), rng.uniform(-d.tint...d.tint))
    let gx = rng.uniform(-d.gradient...d.gradient)
    let gy = rng.uniform(-d.gradient...d.gradient)
    for y in 0..<s {
      for x in 0..<s {
        let g = background + gx * (Float(x) / Float(s) - 0.5) + gy * (Float(y) / Float(s) - 0.5)
        let p = (y * s + x) * 3
        canvas[p] = g + tint.0
        canvas[p + 1] = g + tint.1
        canvas[p + 2] = g + tint.2
      }
    }
    var cast: (Float, Float, Float) = (1, 1, 1)
    if d.cast > 0 {
      cast = (
        1 + rng.uniform(-d.cast...d.cast), 1 + rng.uniform(-d.cast...d.cast),
        1 + rng.uniform(-d.cast...d.cast)
      )
    }
    for _ in 0..<d.clutter {
      let w = rng.int(6...20)
      let h = rng.int(6...20)
      let x0 = rng.int(0...(s - w))
      let y0 = rng.int(0...(s - h))
      let shift = (rng.uniform(-0.15...0.15), rng.uniform(-0.15...0.15), rng.uniform(-0.15...0.15))
      for y in y0..<(y0 + h) {
        for x in x0..<(x0 + w) {
          let p = (y * s + x) * 3
          canvas[p] += shift.0
          canvas[p + 1] += shift.1
          canvas[p + 2] += shift.2
        }
      }
    }
    for object in objects {
      let base = object.colour.rgb
      let jitter = (rng.uniform(-0.06...0.06), rng.uniform(-0.06...0.06), rng.uniform(-0.06...0.06))
      let colour = (base.0 + jitter.0, base.1 + jitter.1, base.2 + jitter.2)
      let shade: (Float, Float, Float) =
        object.colour == .black
        ? (0.45, 0.45, 0.45) : (colour.0 * 0.45, colour.1 * 0.45, colour.2 * 0.45)
      let mask = Scene.mask(of: object)
      let ox = Int(object.box.x1)
      let oy = Int(object.box.y1)
      let lit = (light * cast.0, light * cast.1, light * cast.2)
      for y in 0..<s {
        for x in 0..<s where mask[y * s + x] {
          let lx = x - ox
          let ly = y - oy
          let patterned: Bool
          switch object.texture {
          case .plain: patterned = false
          case .striped: patterned = (ly / 2) % 2 == 1
          case .dotted: patterned = lx % 4 >= 1 && lx % 4 <= 2 && ly % 4 >= 1 && ly % 4 <= 2
          case .checkered: patterned = (lx / 3 + ly / 3) % 2 == 1
          }
          let c = patterned ? shade : colour
          let p = (y * s + x) * 3
          canvas[p] = c.0 * lit.0
          canvas[p + 1] = c.1 * lit.1
          canvas[p + 2] = c.2 * lit.2
        }
      }
    }
    var pixels = [UInt8](repeating: 0, count: s * s * 3)
    for p in canvas.indices {
      let v = canvas[p] + d.noise * rng.normal()
      pixels[p] = UInt8(min(max((v * 255).rounded(), 0), 255))
    }
    return Image(width: s, height: s, pixels: pixels)
  }

  /// The whole image as one region: its box.
  public static var wholeBox: Box { Box(x1: 0, y1: 0, x2: Float(size), y2: Float(size)) }
}
