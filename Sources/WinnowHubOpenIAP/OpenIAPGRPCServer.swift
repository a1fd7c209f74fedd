import GRPCCore
import GRPCNIOTransportHTTP2
import WinnowHub
import WinnowOpenIAP

/// The OpenIAP gRPC front-end (`--grpc-listen HOST:PORT`, SPEC section 10): HTTP/2 without
/// TLS, service `openiap.FlowService`, method `SetupStream` only.
package struct OpenIAPGRPCServer: Sendable {
  let context: FrontEndContext
  let host: String
  let port: Int
  let messageLimit: Int

  /// A server for `context` that will listen on `host:port` (port 0: any free port); requests
  /// up to `messageLimit` bytes are accepted (the frame limit of the other transports).
  package init(
    context: FrontEndContext, host: String, port: Int,
    messageLimit: Int = LengthPrefixedFrameDecoder.defaultFrameLimit
  ) {
    self.context = context
    self.host = host
    self.port = port
    self.messageLimit = messageLimit
  }

  /// Binds, reports the bound port to `onListening`, and serves until cancelled.
  package func run(onListening: @Sendable @escaping (Int) -> Void = { _ in }) async throws {
    let address: GRPCNIOTransportCore.SocketAddress =
      host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
    let limit = messageLimit
    let transport = HTTP2ServerTransport.Posix(
      address: address, transportSecurity: .plaintext,
      config: .defaults { $0.rpc.maxRequestPayloadSize = limit })
    let server = GRPCServer(transport: transport, services: [FlowService(context: context)])
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      group.addTask {
        let bound = try await transport.listeningAddress
        onListening(bound.ipv4?.port ?? bound.ipv6?.port ?? self.port)
      }
      try await group.next()
      try await group.next()
    }
  }
}
