import NIOCore
import Synchronization
import WinnowHub
import WinnowOpenIAP

/// One OpenFlow client on the hub (SPEC section 11), over a websocket's text frames.
///
/// As ``OpenIAPConnection``: frames go to ``handle(frame:)`` in order; replies are written
/// straight to the client until `signin` succeeds, then everything passes through the hub
/// connection's bounded queue, and a watch delivers only once its reply has been written.
final class OpenFlowConnection: Sendable {
  let context: FrontEndContext
  let remoteAddress: String
  /// Writes one text frame.
  let sendFrame: @Sendable (String) async throws -> Void
  private let watches = WatchStreams()
  private let link: HubLink
  private let session: Mutex<OpenFlowSession>

  init(
    context: FrontEndContext, remoteAddress: String,
    sendFrame: @escaping @Sendable (String) async throws -> Void
  ) {
    self.context = context
    self.remoteAddress = remoteAddress
    self.sendFrame = sendFrame
    var session = OpenFlowSession(authenticate: context.authenticate)
    session.parseLimits = context.hub.configuration.specifierLimits
    self.session = Mutex(session)
    link = HubLink(context: context, remoteAddress: remoteAddress, frontEnd: "openflow")
  }

  /// The package size events and replies are chunked at.
  var packageSize: Int { session.withLock { $0.packageSize } }

  /// Handles one text frame from the client.
  func handle(frame: [UInt8]) async throws {
    let (actions, user) = session.withLock { session in
      (session.handle(frame: frame), session.user)
    }
    let connection = link.connection(signedInAs: user)
    var index = 0
    while index < actions.count {
      switch actions[index] {
      case .send(let frame):
        if let connection {
          watches.queuedMessage()
          context.hub.send(.message(ByteBuffer(string: frame)), to: connection)
        } else {
          try await sendFrame(frame)
        }
      case .watch(let id, let watch):
        guard let connection else { break }
        let stream = watches.add(id)
        for specifier in watch.specifiers {
          context.hub.register(specifier.canonicalText, for: connection.key(stream: stream))
        }
        // The reply's frames follow; the watch delivers once the last one is written.
        var replyFrames: [String] = []
        while index + 1 < actions.count, case .send(let frame) = actions[index + 1] {
          replyFrames.append(frame)
          index += 1
        }
        for (n, frame) in replyFrames.enumerated() {
          watches.queuedMessage(activating: n == replyFrames.count - 1 ? stream : nil)
          context.hub.send(.message(ByteBuffer(string: frame)), to: connection)
        }
      case .unwatch(let id):
        if let stream = watches.remove(id), let connection {
          context.hub.deregisterAll(for: connection.key(stream: stream))
        }
      }
      index += 1
    }
  }

  /// Writes what the hub queues until the connection closes; returns the reason.
  func writeDeliveries() async throws -> CloseReason? {
    guard let connection = await link.awaitConnection() else { return nil }
    let packageSize = packageSize
    var items: [Outbound] = []
    while true {
      items.removeAll(keepingCapacity: true)
      switch await connection.queue.next(into: &items) {
      case .closed(let reason):
        return reason
      case .items:
        for item in items {
          switch item {
          case .message(let buffer):
            try await sendFrame(String(buffer: buffer))
            watches.wroteMessage()
          case .event(let buffer, let stream):
            guard let watchID = watches.deliveringWatch(stream) else { continue }
            for frame in OpenFlowWatchEvent.frames(
              watchID: watchID, json: buffer.readableBytesView, packageSize: packageSize)
            {
              try await sendFrame(frame)
            }
          }
        }
      }
    }
  }

  /// Runs `reader` beside the writer until either ends, then closes; returns why the hub closed
  /// the connection, if it did.
  func run(reader: @escaping @Sendable () async throws -> Void) async -> CloseReason? {
    await withTaskGroup(of: CloseReason?.self) { group in
      group.addTask {
        try? await reader()
        return nil
      }
      group.addTask { (try? await self.writeDeliveries()) ?? nil }
      let first = await group.next()!
      group.cancelAll()
      close()
      return first
    }
  }

  /// Ends the connection: leaves the hub (dropping its watches) and stops the writer.
  func close(reason: CloseReason = .clientClosed) { link.close(reason: reason) }
}
