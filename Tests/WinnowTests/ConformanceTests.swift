import Testing

@testable import Winnow

/// Runs every case of `Grammar/conformance/`: a change in behaviour fails here.
@Suite struct ConformanceTests {
  @Test func corpusIsLoaded() {
    #expect(ConformanceCorpus.cases.count >= 400)
  }

  @Test(arguments: ConformanceCorpus.cases.filter { if case .filter = $0.input { true } else { false } })
  func filterCase(_ c: ConformanceCase) throws {
    guard case .filter(let bytes) = c.input else { return }
    let parsed: Result<Filter, Diagnostic> = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(Diagnostic) in try Filter(parsingUTF8: buffer, limits: c.limits) }
    }
    switch (parsed, c.expect) {
    case (.failure(let error), .error(let code, let line, let column)):
      let location = SourceText(bytes: bytes).location(ofOffset: error.offset)
      #expect(error.code.rawValue == code, "\(error.message)")
      #expect(location.line == line && location.column == column, "\(error.message) at \(location)")
    case (.failure(let error), _):
      Issue.record("rejected: \(error.code) \(error.message) at \(error.offset)")
    case (.success(let filter), .error(let code, let line, let column)):
      Issue.record("accepted \(filter.canonicalText); expected \(code) at \(line):\(column)")
    case (.success(let filter), let expect):
      try checkRoundTrip(filter, c)
      if case .valid(let canonical?) = expect { #expect(filter.canonicalText == canonical) }
      if let canonical = c.canonical { #expect(filter.canonicalText == canonical) }
      try checkSubject(CompiledFilter(filter.term), term: filter.term, c)
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
      #expect(ReferenceInterpreter.evaluate(term, on: document.value, asEvent: false) == expected, "reference")
    case (.event(let bytes), .holds(let expected)):
      let event = try Event(parsing: bytes, limits: documentLimits(c))
      #expect(compiled.matches(event) == expected, "compiled")
      #expect(ReferenceInterpreter.evaluate(term, on: event.document.value, asEvent: true) == expected, "reference")
    case (.document(let bytes), .documentError):
      #expect(throws: Diagnostic.self) { try JSONDocument(parsing: bytes, limits: documentLimits(c)) }
    case (.event(let bytes), .documentError):
      #expect(throws: Diagnostic.self) { try Event(parsing: bytes, limits: documentLimits(c)) }
    case (.none, .valid):
      break
    default:
      Issue.record("unexpected combination of subject and expectation")
    }
  }
}
