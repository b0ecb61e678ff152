/// Scalar math written without libm calls so that loops over buffers vectorize.
enum Kernels {
  /// exp(x) by Cody-Waite range reduction and a degree-6 polynomial; relative error < 2e-7.
  @inline(__always) static func exp(_ x: Float) -> Float {
    let xc = min(max(x, -87.0), 88.0)
    // Round to nearest by adding 1.5 * 2^23: the integer then sits in the low mantissa bits,
    // read back with wrapping integer ops (no trapping conversion, so the loop vectorizes).
    let big = xc * 1.442_695_04 + 12_582_912.0
    let n = big - 12_582_912.0
    let r = (xc - n * 0.693_145_75) - n * 1.428_606_8e-6
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let bits = (big.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
    return p * Float(bitPattern: bits)
  }
}
