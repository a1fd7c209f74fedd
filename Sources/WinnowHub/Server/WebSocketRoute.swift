import WSCore

/// Another protocol's websocket front-end on the hub's listener (OpenIAP at `/ws/v2`, OpenFlow
/// at `/ws/v1` and `/`): the upgrade of its path is accepted without a token, since its
/// clients sign in with a command, and the upgraded connection is handed to `serve`.
public struct WebSocketRoute: Sendable {
  /// Serves one upgraded connection until it ends; `remoteAddress` is `HOST:PORT`.
  public typealias Handler =
    @Sendable (
      _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, _ remoteAddress: String
    ) async -> Void

  /// The request path, such as `/ws/v2`.
  public let path: String
  public let serve: Handler

  public init(path: String, serve: @escaping Handler) {
    self.path = path
    self.serve = serve
  }
}
