import Testing

@testable import Winnow

@Suite struct ExplanationTests {
  /// The explanation's result is the compiled filter's and the reference interpreter's, on
  /// random (filter, document) pairs under the plain and the event rules; every combinator's
  /// result follows from its operands.
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
        let plain = compiled.explain(document)
        if plain.held != compiled.matches(document) {
          disagreements.append("plain \(term) on \(value)")
        }
        if plain.held != ReferenceInterpreter.evaluate(term, on: value, asEvent: false) {
          disagreements.append("plain reference \(term) on \(value)")
        }
        if !isConsistent(plain) { disagreements.append("inconsistent plain \(term) on \(value)") }
        if case .object = value, let event = try? Event(document: document) {
          let traced = compiled.explain(event)
          if traced.held != compiled.matches(event) {
            disagreements.append("event \(term) on \(value)")
          }
          if traced.held != ReferenceInterpreter.evaluate(term, on: value, asEvent: true) {
            disagreements.append("event reference \(term) on \(value)")
          }
          if !isConsistent(traced) {
            disagreements.append("inconsistent event \(term) on \(value)")
          }
        }
      }
    }
    #expect(disagreements.isEmpty, "first: \(disagreements.first ?? "")")
  }

  /// Combinators hold as their operands say; operands after the deciding one are not reached.
  private func isConsistent(_ trace: Explanation) -> Bool {
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
    let filter = try Filter(
      parsing: #"And(Type=Eq("jobs"),Or(Object.Name=Exists(),Nope=Exists()))"#)
    let event = json(#"{"Type":"machines","Object":{"Name":"n1"}}"#)
    let trace = filter.compiled().explain(try Event(event))
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
    let trace = filter.compiled().explain(try Event(saved))
    #expect(trace.held)
    #expect(trace.observation == .changed(original: .found("discover"), object: .found("complete")))

    let created = json(#"{"Type":"machines","Object":{"Stage":"complete"},"Original":null}"#)
    #expect(
      filter.compiled().explain(try Event(created)).observation
        == .changed(original: .absent, object: .found("complete")))

    // Plain rules: the field is looked up from the root, and only `to` is compared.
    let plain = filter.compiled().explain(JSONDocument(json(#"{"Stage":"complete"}"#)))
    #expect(plain.held && plain.observation == .value(.found("complete")))
  }

  @Test func eventStringMembersReadAsEmpty() throws {
    let filter = try Filter(parsing: #"Key=Eq("")"#)
    let trace = filter.compiled().explain(try Event(json(#"{"Type":"machines","Key":null}"#)))
    #expect(trace.held && trace.observation == .value(.found("")))
  }

  /// The whole event is the event as given: string members are filled in only for fields that
  /// name them (the drift that made `explain` fail where `eval` succeeded).
  @Test func wholeEventIsAsGiven() throws {
    let explanation = try Filter(parsing: "#=Eq({})").compiled().explain(try Event(parsing: "{}"))
    #expect(explanation.held && explanation.observation == .value(.found([:])))
    let type = try Filter(parsing: #"/Type=Eq("")"#).compiled().explain(try Event(parsing: "{}"))
    #expect(type.held && type.observation == .value(.found("")))
  }

  /// Every operand is evaluated, also where an evaluation stops early: values are recorded
  /// under an operand that is not reached.
  @Test func operandsAfterTheDecidingOneAreStillObserved() throws {
    let filter = try Filter(
      parsing: #"Or(Type=Eq("machines"),And(Object.Name=Eq("n1"),Key=Exists()))"#)
    let explanation = filter.compiled().explain(
      try Event(parsing: #"{"Type":"machines","Object":{"Name":"n1"}}"#))
    #expect(explanation.held)
    let and = explanation.operands[1]
    #expect(!and.reached && and.held)
    #expect(and.operands[0].held && and.operands[0].observation == .value(.found("n1")))
    #expect(and.operands[1].held && and.operands[1].observation == .value(.found("")))
  }
}

extension Term {
  fileprivate var isOrTerm: Bool {
    if case .or = self { return true }
    return false
  }
}
