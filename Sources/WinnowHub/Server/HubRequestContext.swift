import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the hub's routes: Hummingbird's, the websocket handler reference, and
/// the channel (for the client's address and for closing a connection that cannot be written).
public struct HubRequestContext: RequestContext, WebSocketRequestContext {
  public var coreContext: CoreRequestContextStorage
  public let webSocket: WebSocketHandlerReference<Self>
  /// The connection's channel.
  public let channel: any Channel

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    webSocket = .init()
    channel = source.channel
  }

  /// The client's address as `HOST:PORT`.
  public var remoteAddress: String {
    guard let address = channel.remoteAddress else { return "unknown" }
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
