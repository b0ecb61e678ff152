import Testing

@testable import NN

@Test func parametersAreNamedByPropertyPath() {
  let g = RandomGenerator(seed: 1)
  let layer = TransformerLayer(TransformerConfig(hidden: 8, heads: 2, intermediate: 16), generator: g)
  let names = layer.namedParameters().map(\.0)
  #expect(names.contains("attention.qkv.weight"))
  #expect(names.contains("feedForward.up.bias"))
  #expect(names.contains("outputNorm.weight"))
  #expect(layer.parameterCount == 8 * 24 + 24 + 8 * 8 + 8 + 8 * 16 + 16 + 16 * 8 + 8 + 4 * 8)
}
