import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// DRP's websocket API on a hub: reads a client's command frames into a ``WebsocketSession``
/// and writes its delivery queue onto the socket.
///
/// The queue is written by a ``DeliveryHandler`` on the channel's event loop (no task per
/// delivery). Per connection, three tasks: the reader (commands), the closer (once the handler
/// has written everything queued before the queue closed, the close frame the hub chose), and a
/// watchdog that closes the socket if the close cannot get out within the grace period (a
/// client that stopped reading).
struct WebsocketFrontEnd: Sendable {
  let hub: EventHub
  let configuration: HubServerConfiguration
  /// Handlers running, so that shutdown can wait for their close frames to be written.
  let active: ActiveConnections
  /// The drains of each event loop's connections, run together.
  let drainSchedulers = DrainSchedulers()

  /// Serves one upgraded connection until either side closes it.
  func serve(
    credential: Credential, remoteAddress: String, channel: any Channel,
    inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger
  ) async {
    active.opened()
    defer { active.closed() }
    let connection = hub.connect(credential: credential, remoteAddress: remoteAddress)
    let session = WebsocketSession(hub: hub, connection: connection)
    logger.debug(
      "websocket open",
      metadata: [
        "connection": "\(connection.id)", "principal": "\(credential.principal)",
        "remote": "\(remoteAddress)",
      ])
    let scheduler = drainSchedulers.scheduler(for: channel.eventLoop)
    let written = channel.eventLoop.flatSubmit {
      DeliveryHandler.install(on: channel, queue: connection.queue, scheduler: scheduler)
    }
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await Self.close(outbound, after: written) }
      group.addTask { await self.read(inbound, into: session) }
      group.addTask {
        let reason = await connection.queue.waitForClose()
        guard reason != .clientClosed else { return }
        // The writer has this long to get the close frame out.
        try? await Task.sleep(for: configuration.closeGrace)
        if !Task.isCancelled { channel.close(promise: nil) }
      }
      // Whichever of reader and writer ends first ends the connection.
      _ = await group.next()
      hub.disconnect(connection, reason: .clientClosed)
      _ = await group.next()
      group.cancelAll()
    }
    logger.debug(
      "websocket closed",
      metadata: [
        "connection": "\(connection.id)",
        "reason": "\(connection.queue.closeReason ?? .clientClosed)",
      ])
  }

  /// Reads command frames until the client closes, the stream fails, or the hub closes the
  /// connection (a binary frame).
  private func read(_ inbound: WebSocketInboundStream, into session: WebsocketSession) async {
    do {
      for try await message in inbound.messages(maxSize: configuration.maxMessageSize) {
        switch message {
        case .text(let text):
          let size = text.utf8.count
          if size > hub.configuration.maxFrameSize {
            session.refuseOversizedFrame(size: size, limit: hub.configuration.maxFrameSize)
          } else {
            session.handle(frame: text.utf8)
          }
        case .binary:
          hub.metrics.countBadFrame(.binary)
          hub.disconnect(session.connection, reason: .textOnly)
          return
        }
      }
    } catch {
      // A protocol error or a message over maxMessageSize: the handler closes the socket.
    }
  }

  /// Once the delivery handler has written everything queued before the queue closed, writes
  /// the close frame the hub chose (none when the client closed, or the socket is gone).
  private static func close(
    _ outbound: WebSocketOutboundWriter, after written: EventLoopFuture<CloseReason?>
  ) async {
    guard let reason = try? await written.get(), reason != .clientClosed else { return }
    try? await outbound.close(
      WebSocketErrorCode(codeNumber: Int(reason.code)), reason: reason.reason)
  }
}

/// The number of websocket handlers running.
final class ActiveConnections: Sendable {
  private let count = Atomic<Int>(0)

  func opened() { count.add(1, ordering: .relaxed) }
  func closed() { count.subtract(1, ordering: .relaxed) }
  var current: Int { count.load(ordering: .relaxed) }
}
