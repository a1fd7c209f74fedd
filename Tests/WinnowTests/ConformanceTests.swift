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

  @Test(arguments: ConformanceCorpus.cases.filter { if case .specifier = $0.input { true } else { false } })
  func specifierCase(_ c: ConformanceCase) throws {
    guard case .specifier(let bytes) = c.input else { return }
    let parsed: Result<EventSpecifier, Diagnostic> = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(Diagnostic) in try EventSpecifier(parsingUTF8: buffer, limits: c.limits) }
    }
    switch (parsed, c.expect) {
    case (.failure(let error), .error(let code, let line, let column)):
      let location = SourceText(bytes: bytes).location(ofOffset: error.offset)
      #expect(error.code.rawValue == code, "\(error.message)")
      #expect(location.line == line && location.column == column, "\(error.message) at \(location)")
    case (.failure(let error), _):
      Issue.record("rejected: \(error.code) \(error.message) at \(error.offset)")
    case (.success(let specifier), .error(let code, let line, let column)):
      Issue.record("accepted \(specifier.canonicalText); expected \(code) at \(line):\(column)")
    case (.success(let specifier), let expect):
      let reparsed = try EventSpecifier(parsing: specifier.canonicalText, limits: c.limits)
      #expect(reparsed == specifier, "parse(print(s)) == s")
      #expect(reparsed.canonicalText == specifier.canonicalText, "printing is idempotent")
      if case .valid(let canonical?) = expect { #expect(specifier.canonicalText == canonical) }
      if let canonical = c.canonical { #expect(specifier.canonicalText == canonical) }
      switch (c.subject, expect) {
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
