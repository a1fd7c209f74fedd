import Testing

@testable import Winnow

@Suite struct EvaluationPropertyTests {
  /// Compiled closures and the reference interpreter agree on random (filter, document) pairs,
  /// under the plain and the event rules.
  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func compiledAgreesWithReference(seed: UInt64) throws {
    var random = RandomJSON(seed: seed)
    var disagreements: [String] = []
    var matched = 0
    for _ in 0..<1_500 {
      let term = random.term()
      let compiled = CompiledFilter(Filter(term))
      for _ in 0..<3 {
        let value = random.chance(50) ? random.event() : random.value()
        let document = JSONDocument(value)
        let plain = compiled.matches(document)
        if plain != ReferenceInterpreter.evaluate(term, on: value, asEvent: false) {
          disagreements.append("plain \(term) on \(value)")
        }
        if plain { matched += 1 }
        if case .object = value, let event = try? Event(document: document) {
          if compiled.matches(event)
            != ReferenceInterpreter.evaluate(term, on: value, asEvent: true)
          {
            disagreements.append("event \(term) on \(value)")
          }
        }
      }
    }
    let firstDisagreement = disagreements.first ?? ""
    #expect(disagreements.count == 0, "first: \(firstDisagreement)")
    #expect(matched > 500, "the generator must produce matches too, not only misses")
  }
}
