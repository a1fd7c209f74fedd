import HummingbirdWebSocket
import ServiceLifecycle
import WinnowHub
import WinnowOpenIAP

extension FrontEndContext {
  /// The websocket paths of both protocols on the hub's listener: OpenIAP at `/ws/v2`,
  /// OpenFlow at `/ws/v1` and `/`.
  package var webSocketRoutes: [WebSocketRoute] {
    let context = self
    // No rights at the upgrade: these clients sign in with a command, and a bad token must
    // fail that command (OpenIAP's clients expect an error reply, not an HTTP 401).
    let openFlow:
      @Sendable (WebSocketRoute.Connection, WebSocketInboundStream, WebSocketOutboundWriter) async
        ->
        Void = { connection, inbound, outbound in
          await WebSocketFrontEnds.serveOpenFlow(
            inbound: inbound, outbound: outbound, remoteAddress: connection.remoteAddress,
            context: context)
        }
    return [
      WebSocketRoute(path: "/ws/v2", requiredRights: nil) { connection, inbound, outbound in
        await WebSocketFrontEnds.serveOpenIAP(
          inbound: inbound, outbound: outbound, remoteAddress: connection.remoteAddress,
          context: context)
      },
      WebSocketRoute(path: "/ws/v1", requiredRights: nil, serve: openFlow),
      WebSocketRoute(path: "/", requiredRights: nil, serve: openFlow),
    ]
  }

  /// The OpenIAP TCP listener as a service of the hub (stops at graceful shutdown).
  package func tcpService(host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void)
    -> any Service
  {
    let server = OpenIAPTCPServer(context: self, host: host, port: port)
    return ListenerService { try await server.run(onListening: onListening) }
  }

  /// The OpenIAP gRPC listener as a service of the hub (stops at graceful shutdown).
  package func grpcService(host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void)
    -> any Service
  {
    let server = OpenIAPGRPCServer(context: self, host: host, port: port)
    return ListenerService { try await server.run(onListening: onListening) }
  }
}

/// A listener that runs until the hub shuts down.
struct ListenerService: Service {
  let body: @Sendable () async throws -> Void

  func run() async throws {
    try await cancelWhenGracefulShutdown {
      do {
        try await body()
      } catch is CancellationError {
      }
    }
  }
}
