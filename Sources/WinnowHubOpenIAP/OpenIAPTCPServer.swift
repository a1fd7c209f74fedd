import NIOCore
import NIOPosix
import WinnowHub
import WinnowOpenIAP

/// The OpenIAP TCP front-end (`--openiap-listen HOST:PORT`, SPEC section 10): the same
/// length-prefixed Envelope stream as `/ws/v2`, on a plain socket, with `seq` enforced.
package struct OpenIAPTCPServer: Sendable {
  let context: FrontEndContext
  let host: String
  let port: Int
  let frameLimit: Int

  /// A server for `context` that will listen on `host:port` (port 0: any free port).
  package init(
    context: FrontEndContext, host: String, port: Int,
    frameLimit: Int = LengthPrefixedFrameDecoder.defaultFrameLimit
  ) {
    self.context = context
    self.host = host
    self.port = port
    self.frameLimit = frameLimit
  }

  /// Binds, reports the bound port to `onListening`, and serves until cancelled.
  package func run(onListening: @Sendable (Int) -> Void = { _ in }) async throws {
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .bind(host: host, port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
      }
    onListening(server.channel.localAddress?.port ?? port)
    let context = context
    let frameLimit = frameLimit
    try await withThrowingDiscardingTaskGroup { group in
      try await server.executeThenClose { clients in
        for try await client in clients {
          group.addTask { await Self.serve(client, context: context, frameLimit: frameLimit) }
        }
      }
    }
  }

  /// Serves one client until it or the hub ends the connection.
  static func serve(
    _ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, context: FrontEndContext, frameLimit: Int
  ) async {
    let remote = client.channel.remoteAddress.map(Self.describe) ?? "unknown"
    try? await client.executeThenClose { inbound, outbound in
      let sink = ByteStreamEnvelopeSink { prefix, body in
        var buffer = ByteBuffer()
        buffer.reserveCapacity(prefix.count + body.count)
        buffer.writeBytes(prefix)
        buffer.writeBytes(body)
        try await outbound.write(buffer)
      }
      let connection = OpenIAPConnection(
        context: context, remoteAddress: remote, frontEnd: "openiap-tcp", sink: sink)
      _ = await connection.run {
        var reader = OpenIAPStreamReader(frameLimit: frameLimit)
        for try await buffer in inbound {
          reader.append(buffer.readableBytesView)
          while let envelope = try reader.next() {
            try await connection.handle(envelope)
          }
        }
      }
    }
  }

  /// `HOST:PORT` of a socket address.
  static func describe(_ address: SocketAddress) -> String {
    guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
    return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
  }
}
