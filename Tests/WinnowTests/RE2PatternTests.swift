import Foundation
import Testing

@testable import Winnow

/// A pattern, a subject and whether the pattern must match somewhere in it.
struct RE2MatchCase: Sendable, CustomTestStringConvertible {
  let name: String
  let pattern: String
  let subject: String
  let matches: Bool
  var testDescription: String { name }
}

@Suite struct RE2PatternTests {
  static let cases: [RE2MatchCase] = [
    .init(name: "search is unanchored", pattern: "b", subject: "abc", matches: true),
    .init(name: "$ is the very end", pattern: "a$", subject: "a\n", matches: false),
    .init(name: "$ at the end", pattern: "a$", subject: "ba", matches: true),
    .init(name: "^ is the very start", pattern: "^b", subject: "a\nb", matches: false),
    .init(name: "(?m)^ after a newline", pattern: "(?m)^b", subject: "a\nb", matches: true),
    .init(name: "(?m)$ before a newline", pattern: "(?m)a$", subject: "a\nb", matches: true),
    .init(name: "(?m)$ not before CR", pattern: "(?m)a$", subject: "a\r\n", matches: false),
    .init(name: "(?m)^$ after a final newline", pattern: "(?m)^$", subject: "a\n", matches: true),
    .init(name: ". skips newline", pattern: "a.b", subject: "a\nb", matches: false),
    .init(name: "(?s). takes newline", pattern: "(?s)a.b", subject: "a\nb", matches: true),
    .init(name: ". takes a whole character", pattern: "^.$", subject: "é", matches: true),
    .init(name: "s has no vertical tab", pattern: #"\s"#, subject: "\u{0B}", matches: false),
    .init(name: "w is ASCII", pattern: #"\w"#, subject: "é", matches: false),
    .init(name: "d is ASCII", pattern: #"\d"#, subject: "\u{0663}", matches: false),
    .init(name: "b is ASCII", pattern: #"a\b"#, subject: "aé", matches: true),
    .init(name: "(?i)k folds to KELVIN SIGN", pattern: "(?i)k", subject: "\u{212A}", matches: true),
    .init(name: "(?i)s folds to long s", pattern: "(?i)S", subject: "\u{17F}", matches: true),
    .init(
      name: "(?i)W excludes KELVIN SIGN", pattern: #"(?i)\W"#, subject: "\u{212A}", matches: false),
    .init(name: "(?i)p{Lu} folds", pattern: #"(?i)\p{Lu}"#, subject: "a", matches: true),
    .init(name: "NUL in subject", pattern: #"a\x00b"#, subject: "a\u{0}b", matches: true),
    .init(name: "empty subject", pattern: "^$", subject: "", matches: true),
    .init(name: "empty pattern", pattern: "", subject: "", matches: true),
  ]

  @Test(arguments: cases)
  func matchesLikeRE2(_ c: RE2MatchCase) throws {
    let pattern = try RE2Pattern(re2: c.pattern)
    #expect(pattern.matches(c.subject) == c.matches, "PCRE2 pattern \(pattern.translated)")
  }

  /// `(a+)+$` on 64 KiB of `a` then `b` backtracks exponentially; PCRE2 gives up within its
  /// budget and the non-backtracking automaton answers, with no limit hit.
  @Test func catastrophicBacktrackingFallsBackToTheAutomaton() throws {
    let pattern = try RE2Pattern(re2: "(a+)+$")
    #expect(!pattern.matches(String(repeating: "a", count: 65_536) + "b"))
    #expect(pattern.linearSearchCount == 1)
    #expect(pattern.matches(String(repeating: "a", count: 65_536)))
    #expect(pattern.matches("aaa"))
    #expect(pattern.limitHits == 0)
  }

  @Test func ordinarySearchesStayOnTheFastPath() throws {
    let pattern = try RE2Pattern(re2: #"^node-[0-9]+\.lab$|needle"#)
    #expect(pattern.matches("node-12.lab"))
    #expect(pattern.matches(String(repeating: "hay ", count: 16_384) + "needle"))
    #expect(!pattern.matches(String(repeating: "hay ", count: 16_384)))
    #expect(pattern.linearSearchCount == 0)
  }

  /// The budget is for the whole search, not for each start position: `.{0,300}.{0,300}Q`
  /// takes ~90,000 steps per start position, under the per-position limit of old but far over
  /// the budget on 64 KiB.
  @Test func budgetCoversTheWholeSearch() throws {
    let pattern = try RE2Pattern(re2: ".{0,300}.{0,300}[QR]")
    #expect(!pattern.matches(String(repeating: "a", count: 65_536)))
    #expect(pattern.linearSearchCount == 1)
    #expect(pattern.matches(String(repeating: "a", count: 65_535) + "R"))
    #expect(pattern.limitHits == 0)
  }

  @Test func matchLimitIsConfigurable() throws {
    // About 2^12 backtracking steps: under the default budget, over a budget of 1,000.
    let subject = String(repeating: "a", count: 12) + "b"
    let roomy = try RE2Pattern(re2: "(a+)+$")
    let tight = try RE2Pattern(re2: "(a+)+$", matchLimit: 1_000)
    #expect(!roomy.matches(subject) && !tight.matches(subject))
    #expect(roomy.linearSearchCount == 0)
    #expect(tight.linearSearchCount == 1)
    #expect(roomy.limitHits == 0 && tight.limitHits == 0)
    #expect(tight.matchLimit == 1_000)
  }

  /// Only when the automaton itself is over its bound does a search count as a limit hit.
  @Test func automatonOverItsBoundIsALimitHit() throws {
    let pattern = try RE2Pattern(re2: "(a+)+$", linearInstructionLimit: 3)
    #expect(!pattern.matches(String(repeating: "a", count: 40) + "b"))
    #expect(pattern.limitHits == 1)
    #expect(pattern.matches("aaa"))
    #expect(pattern.limitHits == 1)
  }

  /// Deep recursion on a long subject needs the per-thread JIT stack of a few MiB.
  @Test func longSubjectsDoNotExhaustTheStack() throws {
    let pattern = try RE2Pattern(re2: "^(?:a|b)*c")
    #expect(pattern.matches(String(repeating: "ab", count: 32_768) + "c"))
    #expect(pattern.limitHits == 0)
  }

  @Test func manyThreadsShareOnePattern() async throws {
    let pattern = try RE2Pattern(re2: #"^[a-z]+-(\d+)$"#)
    let results = await withTaskGroup(of: Bool.self) { group in
      for i in 0..<64 {
        group.addTask {
          var allRight = true
          for j in 0..<500 {
            let good = "task-\(i * 1000 + j)"
            let bad = "task-\(i)x"
            allRight = allRight && pattern.matches(good) && !pattern.matches(bad)
          }
          return allRight
        }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 64 && results.allSatisfy { $0 })
    #expect(pattern.limitHits == 0)
  }

  /// Issue 12's everyday patterns: a case-folded Unicode class is printed as one plain class of
  /// RE2's folded set, so PCRE2 holds them (their verdicts are in the RE2 corpus).
  @Test(arguments: [
    (#"(?i)^\pL{3,64}$"#, 16), (#"(?i)[\pL\pN_-]{1,63}"#, 1), (#"(?i)\pL{20}"#, 5),
    (#"(?i)\p{Lu}{30}"#, 8), (#"(?i)[\pL ]{2,40}"#, 1), (#"(?i)\pL{440}"#, 110),
    (#"(?i)\p{Lu}{1000}"#, 250),
  ])
  func caseFoldedUnicodeClassesFitPCRE2(_ source: String, repeats: Int) throws {
    let pattern = try RE2Pattern(re2: source)
    #expect(pattern.usesPCRE2)
    // Ω, k, KELVIN SIGN and é are letters, each cased: all count under (?i) for \p{Lu}.
    #expect(pattern.matches(String(repeating: "Ωk\u{212A}é", count: repeats)))
    #expect(!pattern.matches("!"))
    #expect(pattern.matchesWithoutBacktracking(String(repeating: "Ωk\u{212A}é", count: repeats)))
  }

  /// RE2 accepts `(?:\pL×10){40}` (about 620,000 instructions); PCRE2 copies the group 40 times
  /// and cannot hold it, so the linear-time automaton alone matches it.
  @Test func patternsTooLargeForPCRE2UseTheAutomaton() throws {
    let pattern = try RE2Pattern(re2: "(?:" + String(repeating: #"\pL"#, count: 10) + "){40}")
    #expect(!pattern.usesPCRE2)
    #expect(pattern.matches("1" + String(repeating: "é", count: 400)))
    #expect(!pattern.matches(String(repeating: "é", count: 399)))
    #expect(pattern.limitHits == 0)
  }

  @Test func threadsCountLimitHitsExactly() throws {
    let pattern = try RE2Pattern(re2: "(a+)+$", linearInstructionLimit: 3)
    let subject = String(repeating: "a", count: 40) + "b"
    DispatchQueue.concurrentPerform(iterations: 16) { _ in
      #expect(!pattern.matches(subject))
    }
    #expect(pattern.limitHits == 16)
  }

  @Test func threadsShareTheAutomaton() throws {
    let pattern = try RE2Pattern(re2: "(a|a)*b|c")
    let subject = String(repeating: "a", count: 4_000) + "c"
    DispatchQueue.concurrentPerform(iterations: 16) { _ in
      #expect(pattern.matches(subject))
      #expect(!pattern.matches(String(repeating: "a", count: 4_000)))
    }
    #expect(pattern.linearSearchCount == 32)
    #expect(pattern.limitHits == 0)
  }

  @Test func equalityIsByUTF8Bytes() throws {
    let composed = try RE2Pattern(re2: "\u{E9}")
    let decomposed = try RE2Pattern(re2: "e\u{301}")
    #expect(composed != decomposed)  // Swift's String == would call these equal
    #expect(composed == (try RE2Pattern(re2: "\u{E9}")))
    #expect(Set([composed, decomposed, try RE2Pattern(re2: "\u{E9}")]).count == 2)
  }

  /// The public API builds an `Re` term in code, with the same checks as the filter parser.
  @Test func buildsATermInCode() throws {
    let term = Term.field(
      try FieldPath(parsing: "Name"), .re(try RE2Pattern(#"^node-[0-9]+\.lab$"#)))
    #expect(
      CompiledFilter(Filter(term)).matches(
        JSONValue.object(JSONObject([("Name", .string("node-7.lab"))]))))
    #expect(throws: RegexSyntaxError("backreferences are not supported in RE2", at: 3)) {
      try RE2Pattern("(a)\\1")
    }
  }

  @Test func usesTheJIT() throws {
    #expect(try RE2Pattern(re2: "a+b").isJITCompiled)
  }

  @Test func rejectsWhatRE2Rejects() {
    #expect(throws: RegexSyntaxError("lookahead assertions are not supported in RE2", at: 1)) {
      try RE2Pattern(re2: "a(?=b)")
    }
  }
}
