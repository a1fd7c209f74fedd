import Testing

@testable import Winnow

/// Winnow's own linear-time matcher, beyond what the RE2 corpus and the hostile cases check.
@Suite struct LinearSearchTests {
  /// A search over a subject in RE2's own terms, by the automaton alone.
  private func search(
    _ pattern: String, _ subject: String, memoryBound: Int = LinearSearch.memoryBound
  ) throws -> (matches: Bool, cacheResets: Int, work: Int, instructions: Int) {
    let program = try RegexProgram(try RE2Dialect.tree(pattern))
    var search = LinearSearch(program, memoryBound: memoryBound)
    var text = subject
    let found = text.withUTF8 { search.run($0) }
    return (found, search.cacheResets, search.work, program.instructions.count)
  }

  /// `(a|b)*a(a|b){12}` needs a DFA state per 13-letter window (8,192 of them): with a 64 KiB
  /// cache the search clears it again and again, and still answers right in linear work.
  @Test func aFullCacheIsClearedAndTheAnswerHolds() throws {
    var generator = SystemRandomNumberGenerator()
    let letters = (0..<65_536).map { _ in Bool.random(using: &generator) ? "a" : "b" }.joined()
    let subject = letters + "b" + String(repeating: "b", count: 12)  // no a 13 from the end
    let tight = try search("a(a|b){12}$", subject, memoryBound: 64 << 10)
    #expect(!tight.matches)
    #expect(tight.cacheResets > 0)
    #expect(tight.work <= (subject.utf8.count + 1) * (2 * tight.instructions + 1))
    let roomy = try search("a(a|b){12}$", subject)
    #expect(!roomy.matches && roomy.cacheResets == 0)
    let hit = try search("a(a|b){12}$", "a" + String(repeating: "b", count: 12), memoryBound: 1)
    #expect(hit.matches)
  }

  @Test func anchoredSearchStopsEarly() throws {
    let miss = try search(#"^x\d+"#, "y" + String(repeating: "1", count: 10_000))
    #expect(!miss.matches)
    #expect(miss.work < 100)  // the entry cannot start again after position 0
    #expect(try search(#"^x\d+"#, "x1").matches)
  }

  /// Case folding uses RE2's orbits: both ways of computing a closure agree.
  @Test(arguments: [
    ("k", [0x4B, 0x6B, 0x212A]), ("s", [0x53, 0x73, 0x17F]), ("\u{3C3}", [0x3A3, 0x3C2, 0x3C3]),
    ("\u{DF}", [0xDF, 0x1E9E]), ("1", [0x31]),
  ])
  func foldingFollowsRE2sOrbits(_ letter: String, _ expected: [UInt32]) {
    let c = letter.unicodeScalars.first!.value
    let small = RE2CaseFolding.closure(of: RE2CharacterSet([c...c]))
    #expect(small.ranges.flatMap { Array($0) } == expected)
    // The path for big sets (more than 64 code points) gives the same partners.
    let privateUse: ClosedRange<UInt32> = 0xE000...0xE0FF
    let big = RE2CaseFolding.closure(of: RE2CharacterSet([c...c, privateUse]))
    let partners: [UInt32] = big.ranges.flatMap { Array($0) }.filter { !privateUse.contains($0) }
    #expect(partners == expected)
  }
}
