/// Bounds on what the parser accepts from a server, so that a broken or hostile peer cannot make
/// the client buffer without end.
public struct NATSParserLimits: Hashable, Sendable {
  /// Longest control line (`MSG ...`, `INFO {...}`, ...) without its CRLF, in bytes.
  ///
  /// The server's own default `max_control_line` is 4096; INFO lines with many `connect_urls` are
  /// longer, hence the larger default.
  public var maxControlLineLength: Int
  /// Largest message (headers and payload) accepted, in bytes.
  ///
  /// A server never sends more than its `max_payload` (1 MiB by default, 64 MiB at most).
  public var maxMessageSize: Int

  /// The limits; the defaults accept whatever a server configured within NATS's bounds sends.
  public init(maxControlLineLength: Int = 65_536, maxMessageSize: Int = 64 << 20) {
    self.maxControlLineLength = maxControlLineLength
    self.maxMessageSize = maxMessageSize
  }
}
