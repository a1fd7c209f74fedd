import Testing

@testable import NATSClient

@Suite struct NATSSubjectTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let subject: String
    let publish: String?  // nil: valid
    let subscribe: String?
    var testDescription: String { subject.debugDescription }
  }

  static let cases: [Case] = [
    Case(subject: "drp.events.machines.save", publish: nil, subscribe: nil),
    Case(subject: "a", publish: nil, subscribe: nil),
    Case(
      subject: "drp.events.*.save", publish: "wildcard '*' in a publish subject", subscribe: nil),
    Case(subject: "drp.>", publish: "wildcard '>' in a publish subject", subscribe: nil),
    Case(subject: ">", publish: "wildcard '>' in a publish subject", subscribe: nil),
    Case(subject: "", publish: "the subject is empty", subscribe: "the subject is empty"),
    Case(subject: "a..b", publish: "empty token at byte 2", subscribe: "empty token at byte 2"),
    Case(subject: ".a", publish: "empty token at byte 0", subscribe: "empty token at byte 0"),
    Case(subject: "a.", publish: "empty token at the end", subscribe: "empty token at the end"),
    Case(
      subject: "a b", publish: "whitespace or NUL at byte 1",
      subscribe: "whitespace or NUL at byte 1"),
    Case(
      subject: "a\tb", publish: "whitespace or NUL at byte 1",
      subscribe: "whitespace or NUL at byte 1"),
    Case(
      subject: "a\r\nb", publish: "whitespace or NUL at byte 1",
      subscribe: "whitespace or NUL at byte 1"),
    Case(
      subject: "a.>.b", publish: "wildcard '>' in a publish subject",
      subscribe: "'>' must be the last token"),
    Case(
      subject: "a.b*", publish: "wildcard '*' in a publish subject",
      subscribe: "wildcard inside a token at byte 3"),
    Case(
      subject: "a.*b", publish: "wildcard '*' in a publish subject",
      subscribe: "wildcard inside a token at byte 3"),
  ]

  @Test(arguments: cases)
  func validates(_ c: Case) {
    #expect(NATSSubject.problem(in: c.subject, for: .publish) == c.publish)
    #expect(NATSSubject.problem(in: c.subject, for: .subscribe) == c.subscribe)
  }
}
