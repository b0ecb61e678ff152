import Testing

@Test func placeholderProvenance() { #expect(Bool(true)) }
