import Testing

@Test func placeholderOrchestrator() { #expect(Bool(true)) }
