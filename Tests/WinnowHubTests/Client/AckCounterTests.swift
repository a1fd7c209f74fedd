import Testing
import Winnow
import WinnowHub

@Suite("AckCounter: one acknowledgement per command, as DRP's Go client counts them")
struct AckCounterTests {
  static func event(_ json: String) throws -> Event { try Event(parsing: json) }

  static let registerAck =
    #"{"Time":"2026-01-01T00:00:00Z","Type":"websocket","Action":"register","Key":"machines.*.*","Principal":"user:a","Object":{"Specifier":"machines.*.*","References":1}}"#
  static let errorAck =
    #"{"Type":"websocket","Action":"error","Key":"a.b.c.X=Bad()","Principal":"p","Object":{"Command":"register","Code":"unknownName","Message":"unknown test 'Bad'","Column":9}}"#
  static let machineEvent = #"{"Type":"machines","Action":"save","Key":"m1","Object":{}}"#
  static let websocketEvent = #"{"Type":"websocket","Action":"other","Key":"x"}"#

  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let commands: Int
    /// The incoming events, in order.
    let events: [String]
    /// For each event: "ack", "error" or "event".
    let expected: [String]
    let outstandingAfter: Int
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "one command, its ack, then events", commands: 1,
      events: [registerAck, machineEvent], expected: ["ack", "event"], outstandingAfter: 0),
    Case(
      name: "events before the acks are events", commands: 2,
      events: [machineEvent, registerAck, machineEvent, registerAck],
      expected: ["event", "ack", "event", "ack"],
      outstandingAfter: 0),
    Case(
      name: "a websocket event beyond the count is an event", commands: 1,
      events: [registerAck, websocketEvent], expected: ["ack", "event"], outstandingAfter: 0),
    Case(
      name: "an error ack", commands: 2,
      events: [registerAck, errorAck], expected: ["ack", "error"], outstandingAfter: 0),
    Case(
      name: "no commands: nothing is an ack", commands: 0,
      events: [registerAck, errorAck], expected: ["event", "event"], outstandingAfter: 0),
    Case(
      name: "missing acks stay outstanding", commands: 3,
      events: [registerAck, machineEvent], expected: ["ack", "event"], outstandingAfter: 2),
  ]

  @Test(arguments: cases)
  func classifies(_ c: Case) throws {
    var counter = AckCounter()
    counter.sent(c.commands)
    var seen: [String] = []
    for json in c.events {
      switch counter.classify(try Self.event(json)) {
      case .ack(let ack): seen.append(ack.isError ? "error" : "ack")
      case .event: seen.append("event")
      }
    }
    #expect(seen == c.expected)
    #expect(counter.outstanding == c.outstandingAfter)
    #expect(counter.isSettled == (c.outstandingAfter == 0))
  }

  @Test func readsTheErrorFields() throws {
    var counter = AckCounter()
    counter.sent()
    guard case .ack(let ack) = counter.classify(try Self.event(Self.errorAck)) else {
      Issue.record("not an ack")
      return
    }
    #expect(
      ack
        == ReceivedAcknowledgement(
          action: "error", key: "a.b.c.X=Bad()", command: "register", code: "unknownName",
          message: "unknown test 'Bad'", column: 9))
    #expect(
      ack.errorDescription
        == "register 'a.b.c.X=Bad()' failed: unknownName at column 9: unknown test 'Bad'")
  }

  @Test func toleratesAnAckWithoutAnObject() throws {
    var counter = AckCounter()
    counter.sent()
    let classified = counter.classify(
      try Self.event(#"{"Type":"websocket","Action":"error","Key":"k","Object":null}"#))
    #expect(classified == .ack(ReceivedAcknowledgement(action: "error", key: "k")))
  }
}
