import Testing

@Test func placeholderNN() { #expect(Bool(true)) }
