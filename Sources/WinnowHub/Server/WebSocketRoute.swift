import Hummingbird
import Logging
import NIOCore
import WSCore

/// A websocket endpoint on the hub's listener: DRP's `/api/v3/ws`, or another front-end's
/// (OpenIAP `/ws/v2`, OpenFlow `/ws/v1`).
public struct WebSocketRoute: Sendable {
  /// What a route's handler gets besides the socket's streams.
  public struct Connection: Sendable {
    /// The credential presented with the upgrade request, when the route requires one.
    public let credential: Credential?
    /// The upgrade request (path, query, headers).
    public let request: Request
    /// The client's address, `HOST:PORT`.
    public let remoteAddress: String
    /// The connection's channel (to close it when the client cannot be written to).
    public let channel: any Channel
    /// The hub's logger, with the connection's metadata.
    public let logger: Logger
  }

  /// The request path (without query) this route serves.
  public let path: String
  /// The rights a token must hold before the upgrade (401/403 otherwise); nil lets anyone
  /// upgrade (a protocol that signs in over the socket).
  public let requiredRights: Rights?
  /// Serves one upgraded connection until it ends.
  public let serve:
    @Sendable (Connection, WebSocketInboundStream, WebSocketOutboundWriter) async -> Void

  /// A route serving `path` with `serve`, to tokens holding `requiredRights`.
  public init(
    path: String, requiredRights: Rights?,
    serve:
      @escaping @Sendable (Connection, WebSocketInboundStream, WebSocketOutboundWriter) async ->
      Void
  ) {
    self.path = path
    self.requiredRights = requiredRights
    self.serve = serve
  }
}
