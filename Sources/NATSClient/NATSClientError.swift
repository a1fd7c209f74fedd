/// Why a client call failed.
public enum NATSClientError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The subject cannot be used (empty token, whitespace, a wildcard where none is allowed).
  case invalidSubject(String, reason: String)
  /// A header name or value cannot go on the wire.
  case invalidHeader(String)
  /// Headers and payload together exceed the server's `max_payload`.
  case payloadTooLarge(size: Int, maxPayload: Int)
  /// The bytes waiting to be written (while disconnected or while the socket is full) would
  /// exceed `NATSClientConfiguration.pendingBufferLimit`; the publish was dropped.
  case pendingBufferFull(limit: Int)
  /// No server of the list accepted a connection within the allowed attempts.
  case noServerAvailable([String])
  /// The server refused the connection (its `-ERR`, such as an authorization violation).
  case serverError(String)
  /// The connection was lost before the server answered.
  case connectionLost
  /// The client was closed.
  case closed

  /// The error, one line.
  public var description: String {
    switch self {
    case .invalidSubject(let subject, let reason): "invalid subject '\(subject)': \(reason)"
    case .invalidHeader(let reason): "invalid header: \(reason)"
    case .payloadTooLarge(let size, let max):
      "message of \(size) bytes exceeds the server's max_payload of \(max) bytes"
    case .pendingBufferFull(let limit):
      "outbound buffer full (\(limit) bytes pending): message dropped"
    case .noServerAvailable(let servers):
      "no NATS server available (tried \(servers.joined(separator: ", ")))"
    case .serverError(let text): "NATS server error: \(text)"
    case .connectionLost: "connection to the NATS server lost"
    case .closed: "NATS client closed"
    }
  }
}
