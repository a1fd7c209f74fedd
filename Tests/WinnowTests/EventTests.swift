import Testing

@testable import Winnow

@Suite struct EventTests {
  @Test func readsTheStringMembers() throws {
    let event = try Event(
      parsing: #"{"Type":"machines","Action":"save","Key":"k.1","Principal":null,"Extra":1}"#)
    #expect(event.type == "machines")
    #expect(event.action == "save")
    #expect(event.key == "k.1")
  }

  @Test func missingAndNullStringsReadAsEmpty() throws {
    let event = try Event(parsing: #"{"Type":null}"#)
    #expect(event.type == "")
    #expect(event.action == "")
    #expect(event.key == "")
  }

  static let invalid: [RejectCase] = [
    RejectCase(
      name: "array", marked: "1️⃣[1]", code: .invalidValue, message: "an event must be a JSON object"),
    RejectCase(
      name: "string after whitespace", marked: "  1️⃣\"x\"", code: .invalidValue,
      message: "an event must be a JSON object"),
    RejectCase(
      name: "numeric Type", marked: #"{"Type": 1️⃣5}"#, code: .invalidValue,
      message: "the event member 'Type' must be a string"),
    RejectCase(
      name: "object Key", marked: #"{"Action":"x","Key" :1️⃣{}}"#, code: .invalidValue,
      message: "the event member 'Key' must be a string"),
    RejectCase(
      name: "boolean Time", marked: #"{"Time":1️⃣true}"#, code: .invalidValue,
      message: "the event member 'Time' must be a string"),
    RejectCase(
      name: "array Principal", marked: #"{"Principal":1️⃣[]}"#, code: .invalidValue,
      message: "the event member 'Principal' must be a string"),
    RejectCase(
      name: "broken JSON", marked: #"{"Type":"x"1️⃣"#, code: .invalidValue,
      message: "expected ',' or '}' after the object member"),
  ]

  @Test(arguments: invalid)
  func rejects(_ c: RejectCase) {
    let input = MarkedText(c.marked)
    #expect(throws: Diagnostic(c.code, c.message, at: input.offset!)) {
      try Event(parsing: input.text)
    }
  }

  /// A repeated member's last occurrence is its value: only that one must be a string.
  @Test func lastDuplicateMemberDecides() throws {
    let event = try Event(
      parsing:
        #"{"Type":1,"Type":"jobs","Object":null,"Object":{"a":1},"Original":{},"Original":null}"#)
    #expect(event.type == "jobs")
    #expect(CompiledFilter(Filter(field("a", .changed(from: nil, to: 1)))).matches(event))
    #expect(throws: Diagnostic(.invalidValue, "the event member 'Key' must be a string", at: 26)) {
      try Event(parsing: #"{"Key":"x","Key":[],"Key":5}"#)
    }
  }

  @Test func caseMattersForMemberNames() throws {
    let event = try Event(parsing: #"{"type":5,"TYPE":[],"Type":"jobs"}"#)
    #expect(event.type == "jobs")
  }
}
