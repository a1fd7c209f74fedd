import Testing

@testable import NATSClient

@Suite struct NATSSubjectTokenTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let value: String
    let token: String
    var testDescription: String { "\(value.debugDescription) -> \(token)" }
  }

  static let cases: [Case] = [
    Case(value: "machines", token: "machines"),
    Case(value: "work_order_jobs", token: "work_order_jobs"),
    Case(value: "", token: "%"),
    Case(value: "a.b", token: "a%2Eb"),
    Case(value: "*", token: "%2A"),
    Case(value: ">", token: "%3E"),
    Case(value: "a*b", token: "a%2Ab"),
    Case(value: "50%", token: "50%25"),
    Case(value: "%", token: "%25"),
    Case(value: "two words", token: "two%20words"),
    Case(value: "tab\there", token: "tab%09here"),
    Case(value: "line\r\nbreak", token: "line%0D%0Abreak"),
    Case(value: "é", token: "%C3%A9"),
    Case(value: "\u{7F}", token: "%7F"),
    Case(value: "$SYS", token: "$SYS"),
    Case(value: "a,b;c:d/e\\f", token: "a,b;c:d/e\\f"),
    Case(value: "..", token: "%2E%2E"),
  ]

  @Test(arguments: cases)
  func escapesAndRoundTrips(_ c: Case) {
    #expect(NATSSubjectToken.escape(c.value) == c.token)
    #expect(NATSSubjectToken.unescape(c.token) == c.value)
  }

  @Test(arguments: cases)
  func tokenIsOneValidNATSToken(_ c: Case) {
    let token = NATSSubjectToken.escape(c.value)
    #expect(NATSSubject.problem(in: "drp.events.\(token).save", for: .publish) == nil)
    #expect(!token.isEmpty)
    #expect(token != "*" && token != ">")
  }

  struct Malformed: Sendable, CustomTestStringConvertible {
    let token: String
    let why: String
    var testDescription: String { "\(token.debugDescription): \(why)" }
  }

  static let malformed: [Malformed] = [
    Malformed(token: "", why: "empty token"),
    Malformed(token: "a%2", why: "truncated escape"),
    Malformed(token: "a%", why: "lone percent after text"),
    Malformed(token: "%%", why: "percent not followed by hex"),
    Malformed(token: "a%2eb", why: "lower-case hex"),
    Malformed(token: "%41", why: "escape of a byte that needs none"),
    Malformed(token: "a.b", why: "unescaped dot"),
    Malformed(token: "a b", why: "unescaped space"),
    Malformed(token: "*", why: "wildcard"),
    Malformed(token: "%C3", why: "not UTF-8"),
    Malformed(token: "%FF%FE", why: "not UTF-8"),
  ]

  @Test(arguments: malformed)
  func rejectsWhatEscapeNeverProduces(_ m: Malformed) {
    #expect(NATSSubjectToken.unescape(m.token) == nil)
  }

  @Test func roundTripsRandomStrings() {
    var generator = SeededGenerator(seed: 17)
    let alphabet: [Character] = [
      "a", "Z", "0", ".", "*", ">", "%", " ", "\t", "\n", "\r", "é", "😀", "\u{0}", "$", "-", "_",
      "\u{85}", "\u{2028}",
    ]
    for _ in 0..<2_000 {
      let length = Int(generator.next() % 12)
      let value = String(
        (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
      let token = NATSSubjectToken.escape(value)
      #expect(NATSSubjectToken.unescape(token) == value, "\(value.debugDescription)")
      #expect(NATSSubject.problem(in: "p.\(token)", for: .publish) == nil, "\(token)")
    }
  }
}
