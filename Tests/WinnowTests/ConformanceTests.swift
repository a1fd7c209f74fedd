import Testing

@testable import Winnow

/// Runs every case of `Grammar/conformance/`: a change in behaviour fails here.
@Suite struct ConformanceTests {
  @Test func corpusIsLoaded() {
    #expect(ConformanceCorpus.cases.count >= 400)
  }

  @Test(
    arguments: ConformanceCorpus.cases.filter { if case .filter = $0.input { true } else { false } }
  )
  func filterCase(_ c: ConformanceCase) throws {
    guard case .filter(let bytes) = c.input else { return }
    let parsed = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(Diagnostic) in try Filter(parsingUTF8: buffer, limits: c.limits) }
    }
    guard let filter = accepted(parsed, c, source: bytes, printed: \.canonicalText) else { return }
    try checkRoundTrip(filter, c)
    try checkSubject(filter.compiled(), term: filter.term, c)
  }

  @Test(
    arguments: ConformanceCorpus.cases.filter {
      if case .specifier = $0.input { true } else { false }
    })
  func specifierCase(_ c: ConformanceCase) throws {
    guard case .specifier(let bytes) = c.input else { return }
    let parsed = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(Diagnostic) in try EventSpecifier(parsingUTF8: buffer, limits: c.limits) }
    }
    guard let specifier = accepted(parsed, c, source: bytes, printed: \.canonicalText) else {
      return
    }
    let reparsed = try EventSpecifier(parsing: specifier.canonicalText, limits: c.limits)
    #expect(reparsed == specifier, "parse(print(s)) == s")
    #expect(reparsed.canonicalText == specifier.canonicalText, "printing is idempotent")
    switch (c.subject, c.expect) {
    case (.events(let events), .indices(let indices)):
      let matched = try events.indices.filter { try specifier.matches(Event(parsing: events[$0])) }
      #expect(matched == indices)
    case (.event(let bytes), .holds(let expected)):
      #expect(try specifier.matches(Event(parsing: bytes)) == expected)
    case (.none, .valid):
      break
    default:
      Issue.record("unexpected combination of subject and expectation")
    }
  }

  /// Checks a parse against the case: an expected error must match in code and position; an
  /// accepted input must print as the expected canonical text.
  ///
  /// Returns the parsed value when the case expects it to parse.
  private func accepted<T>(
    _ parsed: Result<T, Diagnostic>, _ c: ConformanceCase, source: [UInt8],
    printed: (T) -> String
  ) -> T? {
    switch (parsed, c.expect) {
    case (.failure(let error), .error(let code, let line, let column)):
      let location = SourceText(bytes: source).location(ofOffset: error.offset)
      #expect(error.code.rawValue == code, "\(error.message)")
      #expect(location.line == line && location.column == column, "\(error.message) at \(location)")
      return nil
    case (.failure(let error), _):
      Issue.record("rejected: \(error.code) \(error.message) at \(error.offset)")
      return nil
    case (.success(let value), .error(let code, let line, let column)):
      Issue.record("accepted \(printed(value)); expected \(code) at \(line):\(column)")
      return nil
    case (.success(let value), let expect):
      if case .valid(let canonical?) = expect { #expect(printed(value) == canonical) }
      if let canonical = c.canonical { #expect(printed(value) == canonical) }
      return value
    }
  }

  private func checkRoundTrip(_ filter: Filter, _ c: ConformanceCase) throws {
    let printed = filter.canonicalText
    var limits = c.limits
    limits.maxBytes = max(limits.maxBytes, printed.utf8.count)
    let reparsed = try Filter(parsing: printed, limits: limits)
    #expect(reparsed == filter, "parse(print(f)) == f")
    #expect(reparsed.canonicalText == printed, "printing is idempotent")
  }

  /// The corpus's `maxJSONDepth` limits documents as well as filter values.
  private func documentLimits(_ c: ConformanceCase) -> JSONLimits {
    JSONLimits(maxDepth: c.limits.maxJSONDepth)
  }

  private func checkSubject(_ compiled: CompiledFilter, term: Term, _ c: ConformanceCase) throws {
    switch (c.subject, c.expect) {
    case (.document(let bytes), .holds(let expected)):
      let document = try JSONDocument(parsing: bytes, limits: documentLimits(c))
      #expect(compiled.matches(document) == expected, "compiled")
      #expect(
        ReferenceInterpreter.evaluate(term, on: document.value, asEvent: false) == expected,
        "reference")
      #expect(compiled.explain(document).held == expected, "explain")
    case (.event(let bytes), .holds(let expected)):
      let event = try Event(parsing: bytes, limits: documentLimits(c))
      #expect(compiled.matches(event) == expected, "compiled")
      #expect(
        ReferenceInterpreter.evaluate(term, on: event.document.value, asEvent: true) == expected,
        "reference")
      #expect(compiled.explain(event).held == expected, "explain")
    case (.document(let bytes), .documentError):
      #expect(throws: Diagnostic.self) {
        try JSONDocument(parsing: bytes, limits: documentLimits(c))
      }
    case (.event(let bytes), .documentError):
      #expect(throws: Diagnostic.self) { try Event(parsing: bytes, limits: documentLimits(c)) }
    case (.none, .valid):
      break
    default:
      Issue.record("unexpected combination of subject and expectation")
    }
  }
}
