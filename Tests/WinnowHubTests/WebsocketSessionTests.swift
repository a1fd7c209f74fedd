import NIOCore
import Testing
import Winnow

@testable import WinnowHub

/// Frames sent in order on one connection; the acknowledgements expected, each written
/// `ACTION KEY -> OBJECT` (the object as minified JSON), and the registrations afterwards.
struct SessionCase: Sendable, CustomTestStringConvertible {
  let name: String
  let frames: [String]
  let acks: [String]
  let registrations: [String: Int]
  var testDescription: String { name }
}

@Suite struct WebsocketSessionTests {
  static let cases: [SessionCase] = [
    SessionCase(
      name: "register", frames: ["register machines.save.*"],
      acks: [#"register machines.save.* -> {"Specifier":"machines.save.*","References":1}"#],
      registrations: ["machines.save.*": 1]),
    SessionCase(
      name: "register twice, deregister once (refcounted)",
      frames: ["register a.b.c", "register a.b.c", "deregister a.b.c"],
      acks: [
        #"register a.b.c -> {"Specifier":"a.b.c","References":1}"#,
        #"register a.b.c -> {"Specifier":"a.b.c","References":2}"#,
        #"deregister a.b.c -> {"Specifier":"a.b.c","References":1}"#,
      ],
      registrations: ["a.b.c": 1]),
    SessionCase(
      name: "canonical form identifies a registration; Key is the text as received",
      frames: ["register a.b.c.Name = Eq( 1 )", "deregister a.b.c.Name=Eq(1)\r\n"],
      acks: [
        #"register a.b.c.Name = Eq( 1 ) -> {"Specifier":"a.b.c.Name=Eq(1)","References":1}"#,
        #"deregister a.b.c.Name=Eq(1) -> {"Specifier":"a.b.c.Name=Eq(1)","References":0}"#,
      ],
      registrations: [:]),
    SessionCase(
      name: "deregister of what is not registered",
      frames: ["register a.b.c", "deregister a.b.d"],
      acks: [
        #"register a.b.c -> {"Specifier":"a.b.c","References":1}"#,
        #"error a.b.d -> {"Command":"deregister","Code":"notRegistered","Message":"'a.b.d' is not registered on this connection","Column":null}"#,
      ],
      registrations: ["a.b.c": 1]),
    SessionCase(
      name: "deregister after the last reference is gone",
      frames: ["register a.b.c", "deregister a.b.c", "deregister a.b.c"],
      acks: [
        #"register a.b.c -> {"Specifier":"a.b.c","References":1}"#,
        #"deregister a.b.c -> {"Specifier":"a.b.c","References":0}"#,
        #"error a.b.c -> {"Command":"deregister","Code":"notRegistered","Message":"'a.b.c' is not registered on this connection","Column":null}"#,
      ],
      registrations: [:]),
    SessionCase(
      name: "invalid specifier: positioned error, nothing changes",
      frames: ["register a..c"],
      acks: [
        #"error a..c -> {"Command":"register","Code":"invalidSpecifier","Message":"expected an action or '*'","Column":3}"#
      ],
      registrations: [:]),
    SessionCase(
      name: "invalid filter: the filter parser's code, column in the specifier",
      frames: ["register a.b.c.Name=Eq(1"],
      acks: [
        #"error a.b.c.Name=Eq(1 -> {"Command":"register","Code":"unexpectedToken","Message":"expected ')' after the arguments of Eq","Column":16}"#
      ],
      registrations: [:]),
    SessionCase(
      name: "unknown command and empty frame",
      frames: ["subscribe a.b.c", ""],
      acks: [
        #"error a.b.c -> {"Command":"subscribe","Code":"unknownCommand","Message":"unknown command 'subscribe': expected 'register SPECIFIER' or 'deregister SPECIFIER'","Column":null}"#,
        #"error  -> {"Command":"","Code":"unknownCommand","Message":"unknown command '': expected 'register SPECIFIER' or 'deregister SPECIFIER'","Column":null}"#,
      ],
      registrations: [:]),
  ]

  /// `ACTION KEY -> OBJECT` of an acknowledgement line, after checking its fixed members.
  static func summary(_ line: String, principal: String) throws -> String {
    #expect(line.hasPrefix("M "))
    let object = try #require(try HubTesting.object(line))
    #expect(object["Type"] == "websocket")
    #expect(object["Principal"] == .string(principal))
    guard case .string(let time)? = object["Time"] else {
      Issue.record("no Time in \(line)")
      return ""
    }
    #expect(time.hasSuffix("Z") && time.count == 30, "\(time)")
    guard case .string(let action)? = object["Action"], case .string(let key)? = object["Key"],
      let body = object["Object"]
    else {
      Issue.record("incomplete ack \(line)")
      return ""
    }
    return "\(action) \(key) -> \(body.minified)"
  }

  @Test(arguments: cases)
  func acknowledges(_ c: SessionCase) throws {
    let hub = EventHub()
    let connection = hub.connect(
      credential: Credential(token: "t", principal: "user:a", rights: .read),
      remoteAddress: "127.0.0.1:1")
    let session = WebsocketSession(hub: hub, connection: connection)
    for frame in c.frames { session.handle(frame: Array(frame.utf8)) }
    let lines = HubTesting.drain(connection)
    #expect(lines.count == c.acks.count, "\(lines)")
    for (line, expected) in zip(lines, c.acks) {
      let summary = try Self.summary(line, principal: "user:a")
      #expect(summary == expected)
    }
    #expect(hub.registrations(of: connection.key()) == c.registrations)
  }

  @Test func invalidUTF8IsAnErrorAck() throws {
    let hub = EventHub()
    let connection = hub.connect(credential: .anonymous, remoteAddress: "r")
    let ack = WebsocketSession(hub: hub, connection: connection)
      .handle(frame: Array("register a.b.".utf8) + [0xC3])
    guard case .failed(let failure) = ack.outcome else {
      Issue.record("accepted")
      return
    }
    #expect(failure.code == "invalidEncoding")
    #expect(hub.registrations(of: connection.key()).isEmpty)
  }

  @Test func oversizedFrameIsAnErrorAckAndCounted() throws {
    let hub = EventHub()
    let connection = hub.connect(credential: .anonymous, remoteAddress: "r")
    WebsocketSession(hub: hub, connection: connection).refuseOversizedFrame(
      size: 70_000, limit: 65_568)
    let lines = HubTesting.drain(connection)
    #expect(lines.count == 1)
    #expect(try Self.summary(lines[0], principal: "anonymous").contains(#""Code":"limitExceeded""#))
    #expect(hub.metricsExposition().contains(#"winnow_hub_bad_frames_total{reason="too_large"} 1"#))
  }
}
