import Testing

@testable import Winnow

/// Small pieces of the public API a server relies on.
@Suite struct PublicAPITests {
  @Test func subscriptionErrorsPrintReadably() throws {
    let invalid = SubscriptionError.invalidSpecifier(Diagnostic(.invalidSpecifier, "expected a key or '*'", at: 10))
    #expect("\(invalid)" == "invalid specifier: expected a key or '*' (at byte 10)")
    #expect("\(SubscriptionError.notRegistered("a.b.c"))" == "not registered: a.b.c")
    let suggested = Diagnostic(.unknownName, "unknown test 'Eqq'", at: 5, suggestion: "Eq")
    #expect("\(suggested)" == "unknown test 'Eqq' (at byte 5); did you mean 'Eq'?")
  }

  @Test func filtersCompileWithoutReachingIntoTheirTerms() throws {
    let filter = try Filter(parsing: #"Type=Eq("machines")"#)
    let compiled = filter.compiled()
    #expect(compiled.filter == filter)
    #expect(CompiledFilter(filter).matches(try Event(parsing: #"{"Type":"machines"}"#)))
  }

  /// A regex that gives up at the match limit counts on every object that evaluates it.
  @Test func regexLimitHitsAreCountedEverywhere() throws {
    // Catastrophic backtracking on a long non-matching subject reaches the match limit.
    let long = String(repeating: "a", count: 65_536) + "b"
    let event = try Event(parsing: #"{"Type":"t","Object":{"Name":"\#(long)"}}"#)
    let text = #"t.*.*.Object.Name=Re("(a+)+$")"#
    let specifier = try EventSpecifier(parsing: text)
    #expect(!specifier.matches(event))
    #expect(specifier.regexLimitHits == 1)
    #expect(specifier.filter?.regexLimitHits == 1)
    let registry = SubscriptionRegistry<Int>()
    try registry.register(text, for: 1)
    #expect(registry.subscribers(matching: event).isEmpty)
    #expect(registry.regexLimitHits >= 1)
    try registry.deregister(text, for: 1)
    #expect(registry.regexLimitHits >= 1, "hits of deregistered filters stay counted")
  }
}
