import Testing

@testable import Winnow

@Suite struct FilterPropertyTests {
  /// Random filters parse, print as the generator predicted, and printing round-trips.
  @Test(arguments: [1 as UInt64, 2, 3, 4])
  func randomFiltersRoundTrip(seed: UInt64) {
    var generator = FilterGenerator(seed: seed)
    for index in 0..<1_500 {
      let sample = generator.filter()
      let context = "seed \(seed) #\(index): \(sample.text)"
      do {
        let filter = try Filter(parsing: sample.text)
        let printed = filter.canonicalText
        #expect(printed == sample.canonical, "\(context)")
        let reparsed = try Filter(parsing: printed)
        #expect(reparsed == filter, "parse(print(f)) == f: \(context)")
        #expect(reparsed.canonicalText == printed, "printing is idempotent: \(context)")
        #expect(reparsed.hashValue == filter.hashValue, "\(context)")
      } catch {
        Issue.record("rejected: \(SourceText(sample.text).render(error))\n\(context)")
      }
    }
  }

  /// Every accepted table case also survives print → parse → print.
  @Test func tableCasesRoundTrip() throws {
    for c in FilterParserTests.accepted {
      let filter = try Filter(parsing: c.input)
      let printed = filter.canonicalText
      #expect(try Filter(parsing: printed) == filter, "\(c.name)")
      #expect(try Filter(parsing: printed).canonicalText == printed, "\(c.name)")
    }
  }

  /// Mangling random filters never traps: any outcome is a filter or one diagnostic inside the
  /// text (or at its end).
  @Test func mangledFiltersNeverTrap() throws {
    var generator = FilterGenerator(seed: 99)
    for _ in 0..<2_000 {
      var bytes = Array(generator.filter().text.utf8)
      for _ in 0..<Int.random(in: 1...3, using: &generator.random) where !bytes.isEmpty {
        let i = Int.random(in: 0..<bytes.count, using: &generator.random)
        switch Int.random(in: 0..<3, using: &generator.random) {
        case 0: bytes.remove(at: i)
        case 1: bytes.insert(generator.pick(Array("(),=\"[{ \\'x\u{FF}".utf8) + [0xFF]), at: i)
        default: bytes[i] = UInt8.random(in: 0...255, using: &generator.random)
        }
      }
      let result = bytes.withUnsafeBufferPointer { buffer in
        Result { () throws(Diagnostic) in try Filter(parsingUTF8: buffer) }
      }
      switch result {
      case .success(let filter):
        #expect(try Filter(parsing: filter.canonicalText) == filter)
      case .failure(let error):
        #expect((0...bytes.count).contains(error.offset))
      }
    }
  }
}
