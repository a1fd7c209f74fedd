import NIOCore

/// What a connection's writer sends, in the order the hub queued it.
public enum Outbound: Sendable {
  /// A published event, the bytes shared by every connection it goes to; `stream` tells the
  /// front-end which of the connection's subscribers it is for (a DRP connection has one,
  /// stream 0; an OpenIAP connection has one per watch).
  case event(ByteBuffer, stream: UInt32)
  /// A message for this connection only (an acknowledgement, a reply).
  case message(ByteBuffer)
}

/// Why the hub ends a connection: a websocket close code and reason.
public struct CloseReason: Sendable, Equatable, CustomStringConvertible {
  /// The websocket close code (RFC 6455 section 7.4).
  public let code: UInt16
  /// The close reason, short text.
  public let reason: String

  /// A close with `code` and the short text `reason`.
  public init(code: UInt16, reason: String) {
    self.code = code
    self.reason = reason
  }

  /// The queue filled up: 1008, `slow consumer` (SPEC section 9).
  public static let slowConsumer = CloseReason(code: 1008, reason: "slow consumer")
  /// The hub is shutting down: 1001.
  public static let goingAway = CloseReason(code: 1001, reason: "server shutting down")
  /// A binary frame on the DRP websocket, which takes text commands only: 1003.
  public static let textOnly = CloseReason(code: 1003, reason: "text frames only")
  /// The client ended the connection (nothing is sent).
  public static let clientClosed = CloseReason(code: 1000, reason: "client closed")

  public var description: String { "\(code) \(reason)" }
}
