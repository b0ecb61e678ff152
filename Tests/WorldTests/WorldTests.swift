import Testing

@Test func placeholderWorld() { #expect(Bool(true)) }
