import Testing

@testable import Winnow

/// Small pieces of the public API a server relies on.
@Suite struct PublicAPITests {
  @Test func subscriptionErrorsPrintReadably() throws {
    let invalid = SubscriptionError.invalidSpecifier(
      Diagnostic(.invalidSpecifier, "expected a key or '*'", at: 10))
    #expect("\(invalid)" == "invalid specifier: expected a key or '*' (at byte 10)")
    #expect("\(SubscriptionError.notRegistered("a.b.c"))" == "not registered: a.b.c")
    let suggested = Diagnostic(
      .invalidSpecifier, "expected a type or '*'", at: 0, suggestion: "*.*.*.a=Exists()")
    #expect(
      "\(SubscriptionError.invalidSpecifier(suggested))"
        == "invalid specifier: expected a type or '*' (at byte 0); did you mean '*.*.*.a=Exists()'?"
    )
  }

  @Test func filtersCompileWithoutReachingIntoTheirTerms() throws {
    let filter = try Filter(parsing: #"Type=Eq("machines")"#)
    let compiled = filter.compiled()
    #expect(compiled.filter == filter)
    #expect(CompiledFilter(filter).matches(try Event(parsing: #"{"Type":"machines"}"#)))
  }

  /// A regex search that gives up counts on every object that evaluates it.
  @Test func regexLimitHitsAreCountedEverywhere() throws {
    // Catastrophic backtracking on a long non-matching subject exhausts PCRE2's budget, and the
    // pattern is nested deeper than the linear automaton is built for (250 groups), so the search
    // gives up: the one case that still counts as a limit hit.
    let long = String(repeating: "a", count: 65_536) + "b"
    let event = try Event(parsing: #"{"Type":"t","Object":{"Name":"\#(long)"}}"#)
    let nested = String(repeating: "(", count: 260) + "a+" + String(repeating: ")", count: 260)
    let text = "t.*.*.Object.Name=Re(\"\(nested)+$\")"
    let specifier = try EventSpecifier(parsing: text)
    #expect(!specifier.matches(event))
    #expect(specifier.regexLimitHits == 1)
    #expect(specifier.filter?.regexLimitHits == 1)
    // A matcher of one `*.*.*` specifier evaluates its filter without the index.
    let anyEvent = try EventSpecifier(parsing: "*.*.*.Object.Name=Re(\"\(nested)+$\")")
    let matcher = EventMatcher(anyEvent)
    #expect(!matcher.matches(event))
    #expect(matcher.regexLimitHits == 1)
    let registry = SubscriptionRegistry<Int>()
    try registry.register(text, for: 1)
    #expect(registry.subscribers(matching: event).isEmpty)
    #expect(registry.regexLimitHits >= 1)
    try registry.deregister(text, for: 1)
    #expect(registry.regexLimitHits >= 1, "hits of deregistered filters stay counted")
  }
}
