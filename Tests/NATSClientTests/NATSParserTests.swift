import NIOCore
import Testing

@testable import NATSClient

@Suite struct NATSParserTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let stream: String
    let expected: [NATSServerOperation]
    var testDescription: String { name }
  }

  static func message(
    _ subject: String, _ sid: UInt64, reply: String? = nil, headers: NATSHeaders? = nil,
    _ payload: String
  ) -> NATSServerOperation {
    .message(
      NATSMessage(
        subject: subject, sid: sid, replyTo: reply, headers: headers,
        payload: ByteBuffer(string: payload)))
  }

  static let cases: [Case] = [
    Case(name: "ping", stream: "PING\r\n", expected: [.ping]),
    Case(name: "pong and ok", stream: "PONG\r\n+OK\r\n", expected: [.pong, .ok]),
    Case(
      name: "names ignore case", stream: "ping\r\nPoNg\r\n+ok\r\n", expected: [.ping, .pong, .ok]),
    Case(name: "bare LF ends a line", stream: "PING\nPONG\n", expected: [.ping, .pong]),
    Case(
      name: "error text without quotes", stream: "-ERR 'Authorization Violation'\r\n",
      expected: [.error("Authorization Violation")]),
    Case(
      name: "error text without quotes at all", stream: "-ERR oops\r\n", expected: [.error("oops")]),
    Case(
      name: "message", stream: "MSG a.b 1 5\r\nhello\r\n", expected: [message("a.b", 1, "hello")]),
    Case(
      name: "message with reply and empty payload", stream: "MSG a.b 12 reply.to 0\r\n\r\n",
      expected: [message("a.b", 12, reply: "reply.to", "")]),
    Case(
      name: "payload holding CRLF and a control line", stream: "MSG a 1 10\r\nx\r\nPING\r\ny\r\n",
      expected: [message("a", 1, "x\r\nPING\r\ny")]),
    Case(
      name: "tabs and repeated spaces", stream: "MSG\ta.b\t 7  3\r\nabc\r\n",
      expected: [message("a.b", 7, "abc")]),
    Case(
      name: "message with headers", stream: "HMSG a 2 18 23\r\nNATS/1.0\r\nK: v\r\n\r\nhello\r\n",
      expected: [
        message("a", 2, headers: NATSHeaders([.init(name: "K", value: "v")]), "hello")
      ]),
    Case(
      name: "headers with a status and a reply",
      stream: "HMSG a 3 r 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
      expected: [message("a", 3, reply: "r", headers: NATSHeaders(status: 503), "")]),
    Case(
      name: "info",
      stream:
        #"INFO {"server_id":"X","max_payload":1024,"headers":true,"connect_urls":["127.0.0.1:4223"],"extra":[1,{"a":null}]}"#
        + "\r\n",
      expected: [
        .info(
          NATSServerInfo(
            serverID: "X", maxPayload: 1024, headers: true, connectURLs: ["127.0.0.1:4223"]))
      ]),
    Case(
      name: "a mixed stream",
      stream: "PING\r\nMSG s.1 1 2\r\nab\r\nMSG s.2 2 0\r\n\r\n-ERR 'Slow Consumer'\r\nPONG\r\n",
      expected: [
        .ping, message("s.1", 1, "ab"), message("s.2", 2, ""), .error("Slow Consumer"), .pong,
      ]),
  ]

  /// Feeds `chunks` in turn, taking every operation after each.
  static func parse(_ chunks: [ArraySlice<UInt8>], limits: NATSParserLimits = .init())
    throws(NATSProtocolError) -> [NATSServerOperation]
  {
    var parser = NATSParser(limits: limits)
    var out: [NATSServerOperation] = []
    for chunk in chunks {
      parser.append(chunk)
      while let op = try parser.next() { out.append(op) }
    }
    #expect(parser.bufferedByteCount == 0)
    return out
  }

  @Test(arguments: cases)
  func parsesWhole(_ c: Case) throws {
    #expect(try Self.parse([Array(c.stream.utf8)[...]]) == c.expected)
  }

  @Test(arguments: cases)
  func parsesEverySplitIntoTwoAndThree(_ c: Case) throws {
    let bytes = Array(c.stream.utf8)
    for i in 0...bytes.count {
      #expect(try Self.parse([bytes[..<i], bytes[i...]]) == c.expected, "split at \(i)")
      for j in stride(from: i, through: bytes.count, by: 1) {
        let got = try Self.parse([bytes[..<i], bytes[i..<j], bytes[j...]])
        if got != c.expected {
          Issue.record("split at \(i), \(j)")
          return
        }
      }
    }
  }

  @Test(arguments: cases)
  func parsesByteByByte(_ c: Case) throws {
    let bytes = Array(c.stream.utf8)
    #expect(try Self.parse(bytes.indices.map { bytes[$0..<$0 + 1] }) == c.expected)
  }

  // MARK: - Errors

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let stream: String
    let code: NATSProtocolError.Code
    let offset: Int
    var limits = NATSParserLimits()
    var testDescription: String { name }
  }

  static let errors: [ErrorCase] = [
    ErrorCase(name: "unknown operation", stream: "FOO\r\n", code: .unknownOperation, offset: 0),
    ErrorCase(
      name: "offset counts earlier operations", stream: "PING\r\nFOO bar\r\n",
      code: .unknownOperation, offset: 6),
    ErrorCase(name: "empty line", stream: "\r\n", code: .unknownOperation, offset: 0),
    ErrorCase(
      name: "MSG without size", stream: "MSG a 1\r\n", code: .malformedArguments, offset: 4),
    ErrorCase(
      name: "MSG with too many fields", stream: "MSG a 1 r 2 3\r\n", code: .malformedArguments,
      offset: 12),
    ErrorCase(
      name: "sid not a number", stream: "MSG a x 1\r\nz\r\n", code: .malformedArguments, offset: 6),
    ErrorCase(
      name: "negative size", stream: "MSG a 1 -1\r\n", code: .malformedArguments, offset: 8),
    ErrorCase(
      name: "size with 19 digits", stream: "MSG a 1 1000000000000000000\r\n",
      code: .malformedArguments, offset: 8),
    ErrorCase(
      name: "payload longer than its size", stream: "MSG a 1 3\r\nabcd\r\n",
      code: .missingPayloadTerminator, offset: 14),
    ErrorCase(
      name: "payload shorter than its size", stream: "MSG a 1 5\r\nabc\r\nPING\r\n",
      code: .missingPayloadTerminator, offset: 16),
    ErrorCase(
      name: "header size over total", stream: "HMSG a 1 10 5\r\n", code: .malformedArguments,
      offset: 9),
    ErrorCase(
      name: "headers without version line", stream: "HMSG a 1 5 5\r\nhello\r\n",
      code: .malformedHeaders, offset: 14),
    ErrorCase(
      name: "HMSG with one size", stream: "HMSG a 1 5\r\n", code: .malformedArguments, offset: 5),
    ErrorCase(name: "bad INFO", stream: "INFO {bad\r\n", code: .malformedInfo, offset: 5),
    ErrorCase(name: "INFO not an object", stream: "INFO [1]\r\n", code: .malformedInfo, offset: 5),
    ErrorCase(name: "text after PING", stream: "PING x\r\n", code: .malformedArguments, offset: 5),
    ErrorCase(
      name: "control line one past the limit", stream: "MSG abcdefghi 1 0\r\n\r\n",
      code: .controlLineTooLong, offset: 0, limits: .init(maxControlLineLength: 16)),
    ErrorCase(
      name: "control line far past the limit, no LF",
      stream: String(repeating: "x", count: 100_000),
      code: .controlLineTooLong, offset: 0, limits: .init(maxControlLineLength: 16)),
    ErrorCase(
      name: "long line after a good one", stream: "PING\r\n" + String(repeating: "P", count: 40),
      code: .controlLineTooLong, offset: 6, limits: .init(maxControlLineLength: 16)),
    ErrorCase(
      name: "message one past the size limit", stream: "MSG a 1 9\r\n",
      code: .payloadTooLarge, offset: 8, limits: .init(maxMessageSize: 8)),
    ErrorCase(
      name: "message far past the size limit", stream: "MSG a 1 999999999\r\n",
      code: .payloadTooLarge, offset: 8, limits: .init(maxMessageSize: 8)),
  ]

  /// Feeds `bytes` in chunks of `size` until the parser throws; fails the test if it never does.
  static func firstError(_ bytes: [UInt8], chunk size: Int, limits: NATSParserLimits)
    -> NATSProtocolError?
  {
    var parser = NATSParser(limits: limits)
    var start = 0
    while start < bytes.count {
      parser.append(bytes[start..<min(start + size, bytes.count)])
      start += size
      do {
        while try parser.next() != nil {}
      } catch {
        // Bounded buffering: nothing much past the limit is kept before the error.
        #expect(
          parser.bufferedByteCount <= limits.maxControlLineLength + limits.maxMessageSize + 2 + size
        )
        return error
      }
    }
    return nil
  }

  @Test(arguments: errors)
  func reportsErrorAtItsByteWhateverTheSplit(_ c: ErrorCase) {
    let bytes = Array(c.stream.utf8)
    for size in [bytes.count, 1, 2, 3, 7, 1024] {
      let error = Self.firstError(bytes, chunk: size, limits: c.limits)
      #expect(error?.code == c.code, "chunks of \(size): \(String(describing: error))")
      #expect(error?.offset == c.offset, "chunks of \(size): \(String(describing: error))")
    }
  }

  @Test func acceptsControlLineAndMessageExactlyAtTheLimits() throws {
    let limits = NATSParserLimits(maxControlLineLength: 16, maxMessageSize: 8)
    let stream = Array("MSG abcdefgh 1 8\r\n12345678\r\n".utf8)
    #expect(
      try Self.parse([stream[...]], limits: limits) == [Self.message("abcdefgh", 1, "12345678")])
  }

  @Test func errorsAreOneLineAndNameTheByte() {
    let error = NATSProtocolError(.unknownOperation, "unknown operation 'FOO'", at: 6)
    #expect(error.description == "NATS protocol error at byte 6: unknown operation 'FOO'")
  }

  @Test func longStreamOfSmallMessagesKeepsTheBufferSmall() throws {
    var parser = NATSParser()
    var count = 0
    let one = Array("MSG drp.events.machines.save 1 2\r\n{}\r\n".utf8)
    for _ in 0..<100_000 {
      parser.append(one)
      while try parser.next() != nil { count += 1 }
    }
    #expect(count == 100_000)
    #expect(parser.bufferedByteCount == 0)
  }
}
