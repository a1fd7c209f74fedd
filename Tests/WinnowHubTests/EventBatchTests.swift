import NIOCore
import Testing
import Winnow

@testable import WinnowHub

@Suite struct EventBatchTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    let events: [String]
    var testDescription: String { name }
  }

  static let a = #"{"Type":"a","Action":"b","Key":"c"}"#
  static let b = #"{"Type":"x","Action":"y","Key":"z","Object":{"n":1}}"#

  @Test(arguments: [
    Case(name: "one event", body: a, events: [a]),
    Case(name: "one event with a newline", body: a + "\n", events: [a]),
    Case(
      name: "pretty-printed event", body: "{\n  \"Type\": \"a\"\n}\n",
      events: ["{\n  \"Type\": \"a\"\n}"]),
    Case(name: "NDJSON", body: a + "\n" + b + "\n", events: [a, b]),
    Case(
      name: "NDJSON with CRLF, blank lines, no final newline", body: a + "\r\n\r\n  \n" + b,
      events: [a, b]),
  ])
  func splits(_ c: Case) throws {
    let batch = try EventBatch(body: ByteBuffer(string: c.body))
    #expect(batch.events.map { String(buffer: $0) } == c.events)
  }

  typealias BadCase = BadBodyCase

  @Test(arguments: [
    BadCase(name: "empty", body: "", line: 1, column: nil),
    BadCase(name: "blank", body: " \n\n", line: 1, column: nil),
    BadCase(name: "not JSON", body: "hello", line: 1, column: 1),
    BadCase(name: "an array", body: "[1,2]", line: 1, column: 1),
    BadCase(
      name: "second line bad", body: a + "\n" + #"{"Type":"a""# + "\n" + b, line: 2, column: 12),
    BadCase(
      name: "Type not a string, indented", body: a + "\n\n  " + #"{"Type":1}"#, line: 3, column: 11),
  ])
  func refuses(_ c: BadCase) {
    do {
      _ = try EventBatch(body: ByteBuffer(string: c.body))
      Issue.record("accepted")
    } catch {
      #expect(error.line == c.line)
      #expect(error.column == c.column, "\(error)")
    }
  }

  struct CheckCase: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    /// What the check is called with, in order.
    let checked: [String]
    var testDescription: String { name }
  }

  @Test(arguments: [
    CheckCase(name: "one event", body: a, checked: [a]),
    CheckCase(name: "one event and a newline", body: a + "\n", checked: [a]),
    CheckCase(
      name: "pretty-printed event", body: "{\n  \"Type\": \"a\"\n}\n",
      checked: ["{\n  \"Type\": \"a\"\n}"]),
    CheckCase(
      name: "NDJSON: each line once, never the whole", body: a + "\n" + b, checked: [a, b]),
    CheckCase(
      name: "NDJSON with CRLF and blank lines", body: a + "\r\n\r\n  " + b + "\r\n",
      checked: [a, b]),
    CheckCase(
      name: "not NDJSON-shaped: tried whole, then by line", body: "[1]\n" + a,
      checked: ["[1]\n" + a, "[1]"]),
  ])
  func checksEachEventOnce(_ c: CheckCase) {
    var checked: [String] = []
    let validator = EventValidator(limits: JSONLimits())
    _ = try? EventBatch(body: ByteBuffer(string: c.body)) {
      (event: ByteBuffer) throws(Diagnostic) in
      checked.append(String(buffer: event))
      try validator.validate(event)
    }
    #expect(checked == c.checked)
  }
}
