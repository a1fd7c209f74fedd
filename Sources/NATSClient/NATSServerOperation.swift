import NIOCore

/// One operation a server sends: the parser's output.
public enum NATSServerOperation: Hashable, Sendable {
  case info(NATSServerInfo)
  case message(NATSMessage)
  case ping
  case pong
  case ok
  /// `-ERR 'text'`: the text without its quotes.
  case error(String)
}

/// A message delivered to a subscription (`MSG` or, with headers, `HMSG`).
public struct NATSMessage: Hashable, Sendable {
  public var subject: String
  /// The id of the subscription it was delivered to.
  public var sid: UInt64
  public var replyTo: String?
  public var headers: NATSHeaders?
  public var payload: ByteBuffer

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
