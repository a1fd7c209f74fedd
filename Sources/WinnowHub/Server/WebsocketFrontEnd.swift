import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// DRP's websocket API on a hub: reads a client's command frames into a ``WebsocketSession``
/// and writes its delivery queue onto the socket.
///
/// Per connection, three tasks: the reader (commands), the writer (queue → frames, then the
/// close frame the hub chose), and a watchdog that closes the socket if the writer cannot get
/// the close out within the grace period (a client that stopped reading).
struct WebsocketFrontEnd: Sendable {
  let hub: EventHub
  let configuration: HubServerConfiguration
  /// Handlers running, so that shutdown can wait for their close frames to be written.
  let active: ActiveConnections

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
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        await Self.write(connection, to: outbound, batches: FrameBatchWriter(channel: channel))
      }
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

  /// Writes queued items as text frames until the queue closes, then the close frame: all the
  /// items waiting at once in one batch, flushed once.
  private static func write(
    _ connection: HubConnection, to outbound: WebSocketOutboundWriter, batches: FrameBatchWriter
  ) async {
    var items: [Outbound] = []
    items.reserveCapacity(64)
    do {
      while true {
        switch await connection.queue.next(into: &items) {
        case .items:
          // A connection closed as a slow consumer sends nothing more but the close frame.
          if connection.queue.closeReason != .slowConsumer {
            try await batches.write(items)
          }
          items.removeAll(keepingCapacity: true)
        case .closed(let reason):
          if reason != .clientClosed {
            try await outbound.close(
              WebSocketErrorCode(codeNumber: Int(reason.code)), reason: reason.reason)
          }
          return
        }
      }
    } catch {
      // The socket is gone; the reader sees it too.
    }
  }
}

/// The number of websocket handlers running.
final class ActiveConnections: Sendable {
  private let count = Atomic<Int>(0)

  func opened() { count.add(1, ordering: .relaxed) }
  func closed() { count.subtract(1, ordering: .relaxed) }
  var current: Int { count.load(ordering: .relaxed) }
}
