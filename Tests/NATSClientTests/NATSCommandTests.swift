import NIOCore
import Testing

@testable import NATSClient

@Suite struct NATSCommandTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let write: @Sendable (inout ByteBuffer) -> Void
    let wire: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "PUB",
      write: {
        $0.writeNATSPublish(
          subject: "a.b", replyTo: nil, headers: nil, payload: ByteBuffer(string: "hi"))
      },
      wire: "PUB a.b 2\r\nhi\r\n"),
    Case(
      name: "PUB with reply",
      write: {
        $0.writeNATSPublish(subject: "a", replyTo: "r", headers: nil, payload: ByteBuffer())
      },
      wire: "PUB a r 0\r\n\r\n"),
    Case(
      name: "HPUB",
      write: {
        $0.writeNATSPublish(
          subject: "a", replyTo: nil, headers: NATSHeaders([.init(name: "K", value: "v")]).encoded,
          payload: ByteBuffer(string: "hello"))
      },
      wire: "HPUB a 18 23\r\nNATS/1.0\r\nK: v\r\n\r\nhello\r\n"),
    Case(
      name: "SUB", write: { $0.writeNATSSubscribe(subject: "a.*", queueGroup: nil, sid: 12) },
      wire: "SUB a.* 12\r\n"),
    Case(
      name: "SUB with queue",
      write: { $0.writeNATSSubscribe(subject: ">", queueGroup: "q", sid: 1) }, wire: "SUB > q 1\r\n"
    ),
    Case(
      name: "UNSUB", write: { $0.writeNATSUnsubscribe(sid: 1_234_567_890) },
      wire: "UNSUB 1234567890\r\n"),
  ]

  @Test(arguments: cases)
  func writesTheWireForm(_ c: Case) {
    var buffer = ByteBuffer()
    c.write(&buffer)
    #expect(String(buffer: buffer) == c.wire)
  }

  @Test func connectIsJSONWithEscapedStrings() {
    let options = NATSConnectOptions(
      name: "hub \"1\"\n", user: nil, password: nil, token: "t\\k", headers: true, echo: true)
    #expect(options.json.contains(#""name":"hub \"1\"\n""#))
    #expect(options.json.contains(#""auth_token":"t\\k""#))
    #expect(options.json.contains(#""verbose":false"#))
    #expect(options.json.contains(#""headers":true"#))
    #expect(jsonString("\u{1}") == #""\u0001""#)
  }

  @Test func headersRoundTrip() {
    let headers = NATSHeaders([
      .init(name: "Winnow-Origin", value: "abc"), .init(name: "Seq", value: "7"),
    ])
    #expect(NATSHeaders.parse(headers.encoded[...]) == headers)
    #expect(headers["winnow-origin"] == "abc")
    #expect(headers["missing"] == nil)
    #expect(NATSHeaders.problem(name: "a b", value: "") != nil)
    #expect(NATSHeaders.problem(name: "a", value: "x\r\n") != nil)
    #expect(NATSHeaders.problem(name: "a", value: "x y") == nil)
  }
}
