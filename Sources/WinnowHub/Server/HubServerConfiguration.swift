import Logging

/// Everything `winnow serve` is started with.
public struct HubServerConfiguration: Sendable {
  /// The address to listen on (`--listen`, default `127.0.0.1:8092`; port 0 picks a free one).
  public var host: String
  /// The port to listen on; 0 picks a free one.
  public var port: Int
  /// PEM certificate chain and key files for TLS (`--tls-cert`, `--tls-key`).
  public var tlsCertificateFile: String?
  /// The PEM private key of ``tlsCertificateFile``.
  public var tlsKeyFile: String?
  /// Who may connect.
  public var credentials: CredentialStore
  /// The core's settings (`--max-queue`, limits).
  public var hub: HubConfiguration
  /// How often a ping is sent; a connection whose ping is unanswered one interval later is closed
  /// (so a silent client goes after at most two intervals).
  ///
  /// Default 30 s.
  public var pingInterval: Duration
  /// The largest `POST /api/v3/events` body, in bytes.
  public var maxBodySize: Int
  /// The largest websocket message read at all; larger ones close the connection with 1009.
  ///
  /// Messages between ``HubConfiguration/maxFrameSize`` and this get an error acknowledgement.
  public var maxMessageSize: Int
  /// How long a connection closed by the hub may take to be written out before its socket is
  /// closed regardless (a client that never reads).
  public var closeGrace: Duration
  /// The hub's logger (tokens are never logged).
  public var logger: Logger

  /// A configuration with `credentials` and the defaults of `winnow serve` for the rest.
  public init(
    host: String = "127.0.0.1", port: Int = 8092, credentials: CredentialStore,
    hub: HubConfiguration = HubConfiguration(), pingInterval: Duration = .seconds(30),
    maxBodySize: Int = 64 << 20, closeGrace: Duration = .seconds(10),
    logger: Logger = Logger(label: "winnow.serve")
  ) {
    self.host = host
    self.port = port
    self.credentials = credentials
    self.hub = hub
    self.pingInterval = pingInterval
    self.maxBodySize = maxBodySize
    self.maxMessageSize = max(1 << 20, hub.maxFrameSize)
    self.closeGrace = closeGrace
    self.logger = logger
  }

  /// Parses `HOST:PORT` (`[v6]:PORT` for IPv6); nil when it is not that.
  public static func parseListen(_ text: String) -> (host: String, port: Int)? {
    guard let colon = text.lastIndex(of: ":") else { return nil }
    var host = String(text[..<colon])
    guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
      return nil
    }
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { return nil }
    return (host, port)
  }
}
