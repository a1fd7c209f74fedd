import Winnow

/// How a ``WatchClient`` connects and what it watches.
public struct WatchOptions: Sendable {
  /// The DRP endpoint (a DRP server or a hub).
  public var endpoint: WatchEndpoint
  /// The specifiers to register.
  public var specifiers: [WatchSpecifier]
  /// The token, sent as `Authorization: Bearer TOKEN`; the URL's `token` parameter when nil.
  public var token: String?
  /// Whether the server's TLS certificate is accepted without verification.
  public var insecure = false
  /// The reconnection schedule.
  public var backoff = ReconnectBackoff()
  /// The longest message accepted (a longer one drops the connection, which is then made again).
  public var maxMessageSize = 64 << 20
  /// The time allowed for the info request and for a clean close.
  public var requestTimeout: Duration = .seconds(10)
  /// How often the client pings the server to find a dead connection (nil: never).
  public var pingInterval: Duration? = .seconds(30)
  /// How many connection attempts in a row may fail before the watch gives up (nil: never).
  public var maxAttempts: Int?

  /// Options for watching `specifiers` at `endpoint`.
  public init(endpoint: WatchEndpoint, specifiers: [WatchSpecifier], token: String? = nil) {
    self.endpoint = endpoint
    self.specifiers = specifiers
    self.token = token
  }

  /// The token sent: `token`, else the one in the URL.
  public var effectiveToken: String? { token ?? endpoint.queryToken }
}

/// Why a watch ended without being asked to.
public enum WatchError: Error, Equatable, CustomStringConvertible {
  /// The server refused the token (HTTP 401) or its rights (403).
  case unauthorized(status: Int, url: String)
  /// A command was answered with an error event.
  case commandFailed(ReceivedAcknowledgement)
  /// The options cannot work (say, TLS to an address without --insecure).
  case invalidOptions(String)
  /// The TLS handshake failed (say, a certificate that cannot be verified).
  case tls(String)
  /// `maxAttempts` connection attempts in a row failed; the last reason.
  case gaveUp(attempts: Int, lastReason: String)

  public var description: String {
    switch self {
    case .unauthorized(let status, let url):
      status == 401
        ? "\(url): the server refused the token (HTTP 401 Unauthorized)"
        : "\(url): the token lacks the rights to watch (HTTP \(status))"
    case .commandFailed(let ack): ack.errorDescription
    case .invalidOptions(let message): message
    case .tls(let message): message
    case .gaveUp(let attempts, let reason): "gave up after \(attempts) attempts: \(reason)"
    }
  }
}

/// Whether the watch goes on after an event was delivered.
public enum WatchDecision: Sendable {
  /// Go on watching.
  case proceed
  /// Close the connection and end the watch.
  case stop
}

/// One delivered event: its bytes exactly as sent by the server, and the parsed event.
public struct WatchedEvent: Sendable {
  /// The event's JSON, byte for byte as received (without a trailing line feed).
  public let bytes: [UInt8]
  /// The parsed event.
  public let event: Event
}

/// What happened on the way, for standard error.
public enum WatchNotice: Sendable, Equatable, CustomStringConvertible {
  /// The websocket is open and the commands were sent.
  case connected(url: String, serverFilters: Bool, commands: Int)
  /// Every command was acknowledged.
  case registered(commands: Int)
  /// The info endpoint did not answer usefully; the client filters itself.
  case infoUnavailable(url: String, reason: String)
  /// The connection could not be made or was lost.
  case disconnected(reason: String)
  /// The next attempt is made after this delay.
  case retrying(after: Duration, attempt: Int)
  /// A message was not an event and was skipped.
  case skippedMessage(reason: String)

  public var description: String {
    switch self {
    case .connected(let url, let serverFilters, let commands):
      "connected to \(url); \(commands) registration\(commands == 1 ? "" : "s")"
        + (serverFilters ? "" : " (the server has no websocket-changed-filter: filtering here)")
    case .registered(let commands):
      "registered (\(commands) acknowledgement\(commands == 1 ? "" : "s"))"
    case .infoUnavailable(let url, let reason):
      "\(url): \(reason); filtering here"
    case .disconnected(let reason):
      reason
    case .retrying(let delay, let attempt):
      "reconnecting in \(WatchNotice.seconds(delay)) s (attempt \(attempt + 1))"
    case .skippedMessage(let reason):
      "skipped a message: \(reason)"
    }
  }

  private static func seconds(_ duration: Duration) -> String {
    let milliseconds =
      duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    let whole = milliseconds / 1000
    let fraction = milliseconds % 1000
    return "\(whole).\(fraction < 10 ? "00" : fraction < 100 ? "0" : "")\(fraction)"
  }
}
