import NIOCore

/// One operation a server sends: the parser's output.
public enum NATSServerOperation: Hashable, Sendable {
  /// `INFO {...}`: the server's description of itself.
  case info(NATSServerInfo)
  /// `MSG` or `HMSG`: a message for one of the client's subscriptions.
  case message(NATSMessage)
  /// `PING`: the server asks for a `PONG`.
  case ping
  /// `PONG`: the answer to the client's `PING`.
  case pong
  /// `+OK`: a command was accepted (verbose mode).
  case ok
  /// `-ERR 'text'`: the text without its quotes.
  case error(String)
}

/// A message delivered to a subscription (`MSG` or, with headers, `HMSG`).
public struct NATSMessage: Hashable, Sendable {
  /// The subject it was published on.
  public var subject: String
  /// The id of the subscription it was delivered to.
  public var sid: UInt64
  /// The subject to reply on, if the publisher gave one.
  public var replyTo: String?
  /// The headers (`HMSG`), nil for `MSG`.
  public var headers: NATSHeaders?
  /// The message's bytes.
  public var payload: ByteBuffer

  /// A message with the given fields.
  public init(
    subject: String, sid: UInt64, replyTo: String? = nil, headers: NATSHeaders? = nil,
    payload: ByteBuffer
  ) {
    self.subject = subject
    self.sid = sid
    self.replyTo = replyTo
    self.headers = headers
    self.payload = payload
  }
}
