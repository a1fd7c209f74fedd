import Testing

@testable import Winnow

@Suite struct TraceTests {
  /// The trace's result is the compiled filter's, on random (filter, document) pairs under the
  /// plain and the event rules; every combinator's result follows from its operands.
  @Test(arguments: [11, 12, 13] as [UInt64])
  func agreesWithCompiledFilter(seed: UInt64) {
    var random = RandomJSON(seed: seed)
    var disagreements: [String] = []
    for _ in 0..<1_000 {
      let term = random.term()
      let compiled = CompiledFilter(Filter(term))
      for _ in 0..<3 {
        let value = random.chance(50) ? random.event() : random.value()
        let document = JSONDocument(value)
        let plain = Trace(term, on: value, asEvent: false)
        if plain.held != compiled.matches(document) { disagreements.append("plain \(term) on \(value)") }
        if !isConsistent(plain) { disagreements.append("inconsistent plain \(term) on \(value)") }
        if case .object = value, let event = try? Event(document: document) {
          let traced = Trace(term, on: value, asEvent: true)
          if traced.held != compiled.matches(event) { disagreements.append("event \(term) on \(value)") }
          if !isConsistent(traced) { disagreements.append("inconsistent event \(term) on \(value)") }
        }
      }
    }
    #expect(disagreements.isEmpty, "first: \(disagreements.first ?? "")")
  }

  /// Combinators hold as their operands say; operands after the deciding one are not reached.
  private func isConsistent(_ trace: Trace) -> Bool {
    let results = trace.operands.map(\.held)
    switch trace.term {
    case .and, .or:
      let stop = trace.term.isOrTerm
      let decidingIndex = results.firstIndex(of: stop)
      let heldRight = trace.held == (stop ? decidingIndex != nil : decidingIndex == nil)
      let reachedRight = trace.operands.enumerated().allSatisfy { index, operand in
        operand.reached == (trace.reached && index <= (decidingIndex ?? .max))
      }
      return heldRight && reachedRight && trace.operands.allSatisfy(isConsistent)
    case .not:
      return trace.held == !results[0] && trace.operands[0].reached == trace.reached
        && isConsistent(trace.operands[0])
    case .field:
      return trace.operands.isEmpty && trace.observation != nil
    }
  }

  @Test func recordsValuesAndShortCircuits() throws {
    let filter = try Filter(parsing: #"And(Type=Eq("jobs"),Or(Object.Name=Exists(),Nope=Exists()))"#)
    let event = json(#"{"Type":"machines","Object":{"Name":"n1"}}"#)
    let trace = Trace(filter.term, on: event, asEvent: true)
    #expect(!trace.held && trace.reached)
    #expect(trace.operands[0].observation == .value(.found("machines")))
    #expect(!trace.operands[0].held)
    let or = trace.operands[1]
    #expect(!or.reached && or.held)
    #expect(or.operands[0].observation == .value(.found("n1")))  // looked up from the root
    #expect(or.operands[1].observation == .value(.missing))
  }

  @Test func changedShowsOriginalAndObject() throws {
    let filter = try Filter(parsing: #"Stage=Changed(,"complete")"#)
    let saved = json(#"{"Object":{"Stage":"complete"},"Original":{"Stage":"discover"}}"#)
    let trace = Trace(filter.term, on: saved, asEvent: true)
    #expect(trace.held)
    #expect(trace.observation == .changed(original: .found("discover"), object: .found("complete")))

    let created = json(#"{"Type":"machines","Object":{"Stage":"complete"},"Original":null}"#)
    #expect(Trace(filter.term, on: created, asEvent: true).observation
      == .changed(original: .absent, object: .found("complete")))

    // Plain rules: the field is looked up from the root, and only `to` is compared.
    let plain = Trace(filter.term, on: json(#"{"Stage":"complete"}"#), asEvent: false)
    #expect(plain.held && plain.observation == .value(.found("complete")))
  }

  @Test func eventStringMembersReadAsEmpty() throws {
    let filter = try Filter(parsing: #"Key=Eq("")"#)
    let trace = Trace(filter.term, on: json(#"{"Type":"machines","Key":null}"#), asEvent: true)
    #expect(trace.held && trace.observation == .value(.found("")))
  }
}

extension Term {
  fileprivate var isOrTerm: Bool {
    if case .or = self { return true }
    return false
  }
}
