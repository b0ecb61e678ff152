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

  /// erf(x) by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), using `exp` above.
  @inline(__always) static func erf(_ x: Float) -> Float {
    let a = abs(x)
    let t = 1 / (1 + 0.327_591_1 * a)
    var y: Float = 1.061_405_429
    y = y * t - 1.453_152_027
    y = y * t + 1.421_413_741
    y = y * t - 0.284_496_736
    y = y * t + 0.254_829_592
    let e = 1 - y * t * exp(-a * a)
    return x < 0 ? -e : e
  }

  /// GELU's derivative `Phi(x) + x phi(x)`; the Gaussian `exp(-x^2/2)` that erf(x/sqrt2) needs
  /// is computed once and shared.
  @inline(__always) static func geluDerivative(_ x: Float) -> Float {
    let z = x * invSqrt2
    let a = abs(z)
    let t = 1 / (1 + 0.327_591_1 * a)
    var y: Float = 1.061_405_429
    y = y * t - 1.453_152_027
    y = y * t + 1.421_413_741
    y = y * t - 0.284_496_736
    y = y * t + 0.254_829_592
    let gauss = exp(-a * a)
    let e = 1 - y * t * gauss
    let erf = z < 0 ? -e : e
    return 0.5 * (1 + erf) + x * invSqrt2Pi * gauss
  }

  static let invSqrt2: Float = 0.707_106_781_186_547_5
  static let invSqrt2Pi: Float = 0.398_942_280_401_432_7
}
