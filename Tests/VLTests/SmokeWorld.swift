import World

@testable import VL

/// One smoke-scale world, built once for the tests that need data.
enum SmokeWorld {
  static let view = WorldView(WorldData.build(seed: 0, scale: .smoke))
}
