import NIOCore

/// How a ``NATSClient`` connects, reconnects and buffers.
public struct NATSClientConfiguration: Sendable {
  /// The servers of the cluster, tried in order; the `connect_urls` that servers advertise in
  /// `INFO` are added after them.
  public var servers: [NATSServerAddress]
  /// The connection's name, shown by the server's monitoring.
  public var name: String?
  /// Credentials for `CONNECT` (those in a server URL take precedence).
  public var user: String?
  /// The password for `user`.
  public var password: String?
  /// A token for `CONNECT` (`auth_token`).
  public var token: String?
  /// Whether the server sends this connection the messages it publishes itself (NATS's `echo`).
  public var echo: Bool = true
  /// Time allowed for the TCP connection and the INFO/CONNECT/PING/PONG handshake.
  public var connectTimeout: TimeAmount = .seconds(2)
  /// Wait after a round in which no server of the list accepted: `initialBackoff`, doubled
  /// after each further failed round up to `maxBackoff`, each wait shortened by a random part
  /// of up to `backoffJitter` (0...1) so that many clients do not reconnect in step.
  public var initialBackoff: TimeAmount = .milliseconds(20)
  /// The longest wait between rounds.
  public var maxBackoff: TimeAmount = .seconds(2)
  /// The random part of each wait, from 0 (none) to 1 (anything down to no wait).
  public var backoffJitter: Double = 0.2
  /// Rounds over the server list before giving up after a connection was lost; nil: never.
  public var maxReconnectRounds: Int? = nil
  /// Rounds over the server list that ``NATSClient/connect()`` makes before it throws.
  public var initialConnectRounds: Int = 3
  /// Bytes of commands that may wait to be written, while disconnected or while the socket
  /// cannot take more; a publish beyond it throws ``NATSClientError/pendingBufferFull(limit:)``.
  public var pendingBufferLimit: Int = 8 << 20
  /// Messages a ``NATSSubscription`` holds for a consumer that has not taken them; newer ones
  /// are dropped (and counted) while it is full, as NATS clients do with slow consumers.
  public var subscriptionBufferLimit: Int = 65_536
  /// Interval of the client's PINGs; after `maxOutstandingPings` unanswered ones the connection
  /// is considered dead and replaced.
  public var pingInterval: TimeAmount = .seconds(30)
  /// Unanswered PINGs after which the connection is replaced.
  public var maxOutstandingPings: Int = 2
  /// The bounds on what servers may send.
  public var parserLimits = NATSParserLimits()

  /// A configuration for `servers` with the defaults for the rest.
  public init(servers: [NATSServerAddress]) {
    self.servers = servers
  }

  /// A configuration for a comma-separated list of URLs (`nats://a:4222,nats://b:4222`); nil
  /// when the list is empty or an entry does not parse.
  public init?(urls: String) {
    let parts = urls.split(separator: ",").map { $0.trimmingPrefix(" ") }
    var servers: [NATSServerAddress] = []
    for part in parts {
      guard let address = NATSServerAddress(part) else { return nil }
      servers.append(address)
    }
    guard !servers.isEmpty else { return nil }
    self.init(servers: servers)
  }

  /// The wait after `round` failed rounds (1-based), before jitter.
  func backoff(afterRound round: Int) -> TimeAmount {
    let shift = min(max(round - 1, 0), 20)
    let grown = initialBackoff.nanoseconds.multipliedReportingOverflow(by: Int64(1) << shift)
    return .nanoseconds(
      grown.overflow ? maxBackoff.nanoseconds : min(grown.partialValue, maxBackoff.nanoseconds))
  }
}
