import Testing

@Test func placeholderSpec() { #expect(Bool(true)) }
