/// Bytes from the server that are not the NATS protocol, or that exceed a limit; located at
/// the byte of the stream (counted from the start of the connection) where the problem is.
public struct NATSProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Stable identifiers; messages may be reworded.
  public enum Code: String, Sendable {
    /// A control line that starts with no operation the protocol has.
    case unknownOperation
    /// An operation's arguments are missing, extra, or not numbers where numbers belong.
    case malformedArguments
    /// A control line longer than ``NATSParserLimits/maxControlLineLength``.
    case controlLineTooLong
    /// A message larger than ``NATSParserLimits/maxMessageSize``.
    case payloadTooLarge
    /// A message body not followed by CRLF.
    case missingPayloadTerminator
    /// An `INFO` whose argument is not a JSON object.
    case malformedInfo
    /// An `HMSG` header block that is not `NATS/1.0` and `Name: value` lines.
    case malformedHeaders
  }

  /// What kind of error it is.
  public var code: Code
  /// One lowercase sentence.
  public var message: String
  /// Offset of the offending byte from the first byte the connection received.
  public var offset: Int

  /// An error of kind `code` with `message`, at byte `offset` of the stream.
  public init(_ code: Code, _ message: String, at offset: Int) {
    self.code = code
    self.message = message
    self.offset = offset
  }

  /// The error with its offset, one line.
  public var description: String { "NATS protocol error at byte \(offset): \(message)" }
}
