/// An axis-aligned box in pixel coordinates, `x1,y1` inclusive and `x2,y2` exclusive.
public struct Box: Codable, Hashable, Sendable {
  public var x1: Float, y1: Float, x2: Float, y2: Float

  public init(x1: Float, y1: Float, x2: Float, y2: Float) {
    self.x1 = x1
    self.y1 = y1
    self.x2 = x2
    self.y2 = y2
  }

  /// A box from its corners as an array, `[x1, y1, x2, y2]`.
  public init(corners c: [Float]) { self.init(x1: c[0], y1: c[1], x2: c[2], y2: c[3]) }

  public var width: Float { x2 - x1 }
  public var height: Float { y2 - y1 }
  public var area: Float { max(0, width) * max(0, height) }
  public var centerX: Float { (x1 + x2) / 2 }
  public var centerY: Float { (y1 + y2) / 2 }

  /// Intersection over union, the RefCOCO+ criterion (a hit is IoU >= 0.5).
  public func iou(_ other: Box) -> Float {
    let w = min(x2, other.x2) - max(x1, other.x1)
    let h = min(y2, other.y2) - max(y1, other.y1)
    guard w > 0, h > 0 else { return 0 }
    let inter = w * h
    return inter / (area + other.area - inter)
  }

  /// The box clipped to a `size` x `size` canvas.
  public func clipped(to size: Int) -> Box {
    let s = Float(size)
    return Box(
      x1: min(max(x1, 0), s - 1), y1: min(max(y1, 0), s - 1), x2: min(max(x2, 1), s), y2: min(max(y2, 1), s))
  }

  /// The box in [0, 1] coordinates of a `size` x `size` canvas, as the geometry embedding wants it.
  public func normalized(by size: Int) -> [Float] {
    let s = Float(size)
    return [x1 / s, y1 / s, x2 / s, y2 / s]
  }
}
