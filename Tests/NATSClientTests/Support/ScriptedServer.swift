import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A fake NATS server on a loopback port that follows a script, for what a real server does not
/// do on demand: garbage bytes, PINGs left unanswered, a refusal during the handshake.
final class ScriptedServer: Sendable {
  enum Behaviour: Sendable {
    /// Answers the handshake, then sends these bytes.
    case sendAfterHandshake(String)
    /// Answers the handshake, then ignores every later PING.
    case stopAnsweringPings
    /// Answers CONNECT with this `-ERR` and closes.
    case refuse(String)
  }

  let port: Int
  private let channel: any Channel
  private let connections = NIOLockedValueBox(0)

  /// Connections accepted so far.
  var connectionCount: Int { connections.withLockedValue { $0 } }

  init(_ behaviour: Behaviour) async throws {
    let connections = self.connections
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { child in
        connections.withLockedValue { $0 += 1 }
        return child.eventLoop.makeCompletedFuture {
          try child.pipeline.syncOperations.addHandler(Script(behaviour))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    port = channel.localAddress!.port!
  }

  var url: String { "nats://127.0.0.1:\(port)" }

  func stop() async {
    try? await channel.close()
  }

  private final class Script: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let behaviour: Behaviour
    var received = ""
    var handshakeDone = false

    init(_ behaviour: Behaviour) { self.behaviour = behaviour }

    func channelActive(context: ChannelHandlerContext) {
      send(#"INFO {"server_id":"SCRIPTED","max_payload":1048576,"headers":true}"# + "\r\n", context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      received += String(buffer: unwrapInboundIn(data))
      while let end = received.range(of: "\r\n") {
        let line = String(received[..<end.lowerBound])
        received.removeSubrange(..<end.upperBound)
        handle(line, context)
      }
    }

    private func handle(_ line: String, _ context: ChannelHandlerContext) {
      if line.hasPrefix("CONNECT"), case .refuse(let text) = behaviour {
        send("-ERR '\(text)'\r\n", context)
        context.close(promise: nil)
        return
      }
      guard line == "PING" else { return }
      if !handshakeDone {
        handshakeDone = true
        send("PONG\r\n", context)
        if case .sendAfterHandshake(let bytes) = behaviour { send(bytes, context) }
        return
      }
      if case .stopAnsweringPings = behaviour { return }
      send("PONG\r\n", context)
    }

    private func send(_ text: String, _ context: ChannelHandlerContext) {
      context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
  }
}

extension String {
  fileprivate func range(of needle: String) -> Range<String.Index>? {
    firstRange(of: needle)
  }
}
