import Testing

@Test func placeholderTensor() { #expect(Bool(true)) }
