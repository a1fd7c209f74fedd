import Hummingbird
import NIOCore

/// The request context of the hub's HTTP routes: Hummingbird's, and the channel (for the
/// client's address).
public struct HubRequestContext: RequestContext {
  /// Hummingbird's per-request storage.
  public var coreContext: CoreRequestContextStorage
  /// The connection's channel.
  public let channel: any Channel

  /// The context of a request arriving on `source`'s channel.
  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }

  /// The client's address as `HOST:PORT`.
  public var remoteAddress: String { Self.describe(channel.remoteAddress) }

  /// `HOST:PORT` (`[HOST]:PORT` for IPv6) of a socket address.
  static func describe(_ address: SocketAddress?) -> String {
    guard let address else { return "unknown" }
    switch address {
    case .v4, .v6:
      let host = address.ipAddress ?? "?"
      let port = address.port.map(String.init) ?? "?"
      return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    case .unixDomainSocket:
      return address.pathname ?? "unix"
    }
  }
}
