import Foundation
import Testing

@testable import Winnow

/// One case of `Fixtures/re2-hostile.json`: a pattern that makes a backtracking matcher take
/// exponential or quadratic time, a long subject, and google-re2's answer.
struct RE2HostileCase: Decodable, Sendable, CustomTestStringConvertible {
  let name: String
  let pattern: String
  /// The subject as runs: each text repeated its count of times.
  let subject: [Run]
  /// Whether `re2.search` finds a match.
  let matches: Bool

  struct Run: Decodable, Sendable {
    let text: String
    let count: Int

    init(from decoder: any Decoder) throws {
      var container = try decoder.unkeyedContainer()
      text = try container.decode(String.self)
      count = try container.decode(Int.self)
    }
  }

  var subjectText: String { subject.map { String(repeating: $0.text, count: $0.count) }.joined() }
  var testDescription: String { name }

  static let all: [RE2HostileCase] = {
    struct File: Decodable { let cases: [RE2HostileCase] }
    let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
      .appendingPathComponent("re2-hostile.json")
    return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
  }()
}

/// Hostile patterns answer as RE2 does, with no limit hit (the times are in
/// `Benchmarks/hostile-regex.sh`, not here).
@Suite struct RE2HostileTests {
  @Test func casesCoverIssue12() {
    let patterns = Set(RE2HostileCase.all.map(\.pattern))
    for pattern in [
      ".{0,300}.{0,300}Q", "(?:.{0,300}){2}Q", ".{0,250}.{0,250}Q", "(a|a)*b|c", #"(\d+)+x|ok"#,
      "^(?:(?:a|b)*)*c|done", "(.*a){20}", "(a+)+$", "(a|aa)+$", "(x+x+)+y",
    ] {
      #expect(patterns.contains(pattern), "\(pattern)")
    }
    #expect(RE2HostileCase.all.contains { $0.subjectText.utf8.count == 65536 })
  }

  @Test(arguments: RE2HostileCase.all)
  func answersAsRE2(_ c: RE2HostileCase) throws {
    let pattern = try RE2Pattern(re2: c.pattern)
    let subject = c.subjectText
    #expect(pattern.matches(subject) == c.matches)
    #expect(pattern.matchesWithoutBacktracking(subject) == c.matches)
    #expect(pattern.limitHits == 0)
  }

  /// The same searches, inside a filter evaluated on a JSON document.
  @Test(arguments: RE2HostileCase.all.prefix(4))
  func answersAsRE2InAFilter(_ c: RE2HostileCase) throws {
    let filter = try Filter(parsing: "a=Re(\(quoted(c.pattern)))").compiled()
    let document = try JSONDocument(parsing: Array((#"{"a":"# + quoted(c.subjectText) + "}").utf8))
    #expect(filter.matches(document) == c.matches)
    #expect(filter.regexLimitHits == 0)
  }

  private func quoted(_ text: String) -> String {
    "\""
      + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\"") + "\""
  }
}
