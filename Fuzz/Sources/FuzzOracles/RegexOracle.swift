// The regex front end is internal to Winnow: this oracle needs `@testable import`, so the fuzz
// package is built with `-Xswiftc -enable-testing` (run.sh does; debug test builds always are).
@testable import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The oracle of FuzzRegex: the RE2 front end on any pattern, and matching on any subject.
///
/// The input is `pattern 0xFF subject` (0xFF never occurs in UTF-8; both halves are read as
/// UTF-8 with U+FFFD for invalid bytes, as a JSON string literal would decode them).
///
/// - `RE2Dialect.translate` either rejects the pattern with an offset inside it, and then
///   `RE2Pattern(re2:)` reports the same error, or accepts it, and then PCRE2 compiles the
///   translation: `RE2Pattern(re2:)` never fails after the translation said yes.
/// - The filter `a=Re("pattern")` parses exactly when the pattern is accepted (an error has
///   code `.invalidRegex` and points inside the string literal), prints and parses back.
/// - Matching is linear: on the subject, the empty string, the subject repeated to 4 KiB and
///   the subject repeated to 64 KiB, the non-backtracking automaton does at most
///   (code points + 1) × (2 × instructions + 1) steps and agrees with `matches` (PCRE2 under its
///   whole-search budget, or the automaton after it); no search counts a limit hit; and each
///   finishes within a second (three for 64 KiB, under ASan).
/// - The compiled filter and the reference interpreter agree with the pattern on
///   `{"a": subject}`.
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkRegex(_ bytes: [UInt8]) -> String? {
  let split = bytes.firstIndex(of: 0xFF) ?? bytes.count
  let pattern = String(decoding: bytes[..<split], as: UTF8.self)
  let subject = split < bytes.count ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : "abc"
  let translated: Result<String, RegexSyntaxError> = Result { () throws(RegexSyntaxError) in
    try RE2Dialect.translate(pattern)
  }
  let compiled: Result<RE2Pattern, RegexSyntaxError> = Result { () throws(RegexSyntaxError) in
    try RE2Pattern(re2: pattern)
  }
  let compiledPattern: RE2Pattern
  switch (translated, compiled) {
  case (.failure(let error), .failure(let same)):
    guard (0...pattern.utf8.count).contains(error.offset) else {
      return "error offset \(error.offset) outside the pattern (\(pattern.utf8.count) bytes)"
    }
    guard error == same else { return "translate says \(error), RE2Pattern says \(same)" }
    return checkRegexFilter(pattern, subject: subject, pattern: nil)
  case (.failure(let error), .success):
    return "RE2Pattern accepted a pattern the translation rejects: \(error)"
  case (.success(let text), .failure(let error)):
    return "RE2Pattern rejects what the translation accepts, \(text): \(error.message)"
  case (.success, .success(let p)):
    compiledPattern = p
  }
  let unit = subject.isEmpty ? "a" : subject
  let long = String(repeating: unit, count: max(1, 4096 / max(1, unit.utf8.count)))
  let veryLong = String(repeating: unit, count: max(1, 65_536 / max(1, unit.utf8.count)))
  for text in [subject, "", long, veryLong] {
    let start = monotonicNanoseconds()
    let found = compiledPattern.matches(text)
    let elapsed = monotonicNanoseconds() - start
    let seconds: UInt64 = text.utf8.count > 4096 ? 3 : 1
    guard elapsed < seconds * 1_000_000_000 else {
      return "matching a \(text.utf8.count)-byte subject took \(elapsed / 1_000_000) ms"
    }
    guard let linear = compiledPattern.linearSearchWork(text) else {
      return "the linear-time automaton cannot be built for \(pattern.debugDescription)"
    }
    let budget = (text.unicodeScalars.count + 1) * (2 * linear.instructions + 1)
    guard linear.work <= budget else {
      return
        "the automaton took \(linear.work) steps on \(text.utf8.count) bytes (budget \(budget))"
    }
    guard linear.matches == found else {
      return
        "PCRE2 says \(found), the automaton \(linear.matches) on \(text.prefix(64).debugDescription)"
    }
  }
  guard compiledPattern.limitHits == 0 else {
    return "\(compiledPattern.limitHits) searches hit a limit"
  }
  return checkRegexFilter(pattern, subject: subject, pattern: compiledPattern)
}

/// `a=Re("...")` parses exactly when the pattern compiles, and evaluates as the pattern matches.
func checkRegexFilter(_ source: String, subject: String, pattern: RE2Pattern?) -> String? {
  let literal = JSONValue.string(source).minified
  let text = "a=Re(" + literal + ")"
  let filter: Filter
  do {
    filter = try Filter(parsing: text)
  } catch {
    guard pattern == nil else { return "the filter \(text) is rejected: \(error.message)" }
    guard error.code == .invalidRegex || error.code == .limitExceeded else {
      return "\(text) rejected with \(error.code), not invalidRegex: \(error.message)"
    }
    guard error.code != .invalidRegex || (5..<(5 + literal.utf8.count)).contains(error.offset)
    else {
      return "the regex error in \(text) points at \(error.offset), outside the literal"
    }
    return nil
  }
  guard let pattern else { return "the filter \(text) parses, but the pattern does not compile" }
  guard let reparsed = try? Filter(parsing: filter.canonicalText), reparsed == filter else {
    return "\(filter.canonicalText) does not parse back to the same filter"
  }
  let document: JSONValue = ["a": .string(subject)]
  let expected = pattern.matches(subject)
  let compiled = filter.compiled()
  guard compiled.matches(document) == expected,
    ReferenceInterpreter.evaluate(filter.term, on: document, asEvent: false) == expected
  else {
    return "the filter and the pattern disagree on \(subject.debugDescription)"
  }
  return nil
}

func monotonicNanoseconds() -> UInt64 {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
