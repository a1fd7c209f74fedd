import Foundation
import Testing

@testable import Winnow

/// One pattern of `Fixtures/re2-corpus.json` with google-re2's verdicts.
struct RE2CorpusCase: Decodable, Sendable, CustomTestStringConvertible {
  /// The RE2 pattern.
  let pattern: String
  /// RE2's error message when it rejects the pattern.
  let error: String?
  /// For an accepted pattern: `1` or `0` per corpus subject, whether `re2.search` matched.
  let matches: String?

  var testDescription: String { pattern.debugDescription }
}

/// The corpus written by `Grammar/regex/generate_corpus.py`.
struct RE2Corpus: Decodable, Sendable {
  let re2: String
  let subjects: [String]
  let cases: [RE2CorpusCase]

  static let shared: RE2Corpus = {
    let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
      .appendingPathComponent("re2-corpus.json")
    let data = try! Data(contentsOf: url)
    return try! JSONDecoder().decode(RE2Corpus.self, from: data)
  }()
}

/// Patterns where Winnow deliberately differs from google-re2, each with the reason.
let re2KnownDifferences: [String: String] = [
  // \C matches one byte in C++ RE2 and can split a UTF-8 character; Go's regexp (which DRP
  // runs) rejects it, and PCRE2's \C is unsafe in UTF mode. Winnow rejects it.
  #"\C"#: "rejected: \\C (any byte)",
  #"a\Cb"#: "rejected: \\C (any byte)",
]

@Suite struct RE2CorpusTests {
  @Test func corpusIsLargeAndCoversBothVerdicts() {
    let corpus = RE2Corpus.shared
    #expect(corpus.cases.count > 1000)
    #expect(corpus.cases.contains { $0.error != nil })
    #expect(corpus.cases.contains { $0.matches != nil })
  }

  /// RE2 rejects ⇔ Winnow rejects; when accepted, `re2.search` ⇔ `RE2Pattern.matches`.
  @Test(arguments: RE2Corpus.shared.cases)
  func agreesWithRE2(_ c: RE2CorpusCase) throws {
    let subjects = RE2Corpus.shared.subjects
    if let reason = re2KnownDifferences[c.pattern] {
      #expect(c.error == nil, "RE2 now rejects a known difference")
      #expect(throws: RegexSyntaxError.self, "\(reason)") { try RE2Pattern(re2: c.pattern) }
      return
    }
    let pattern: RE2Pattern
    do {
      pattern = try RE2Pattern(re2: c.pattern)
    } catch {
      #expect(
        c.error != nil, "Winnow rejects what RE2 accepts: \(error.message) at \(error.offset)")
      return
    }
    guard let expected = c.matches else {
      Issue.record(
        "Winnow accepts what RE2 rejects (\(c.error ?? "")); PCRE2: \(pattern.translated)")
      return
    }
    for (subject, verdict) in zip(subjects, expected) {
      #expect(
        pattern.matches(subject) == (verdict == "1"),
        "subject \(subject.debugDescription); PCRE2 pattern \(pattern.translated)")
      #expect(
        pattern.matchesWithoutBacktracking(subject) == (verdict == "1"),
        "subject \(subject.debugDescription); the linear automaton disagrees")
    }
    #expect(pattern.limitHits == 0)
  }
}
