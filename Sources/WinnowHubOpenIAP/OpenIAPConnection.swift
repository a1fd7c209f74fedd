import NIOCore
import Synchronization
import Winnow
import WinnowHub
import WinnowOpenIAP

/// One OpenIAP client on the hub, whatever carries its Envelopes (SPEC section 10).
///
/// The transport feeds requests to ``handle(_:)`` in order (after its own framing and `seq`
/// checks) and runs ``writeDeliveries()`` beside it. Before `signin` succeeds the replies are
/// written straight to the sink; at signin the client becomes a hub connection, and from then
/// on replies and watch events all pass through that connection's bounded queue, so a reply is
/// always written before the events that follow it.
final class OpenIAPConnection: Sendable {
  let context: FrontEndContext
  let remoteAddress: String
  let frontEnd: String
  let sink: any EnvelopeSink
  private let watches = WatchStreams()
  private let link: HubLink
  private let session: Mutex<OpenIAPSession>

  init(context: FrontEndContext, remoteAddress: String, frontEnd: String, sink: any EnvelopeSink) {
    self.context = context
    self.remoteAddress = remoteAddress
    self.frontEnd = frontEnd
    self.sink = sink
    var session = OpenIAPSession(authenticate: context.authenticate)
    session.parseLimits = context.hub.configuration.specifierLimits
    self.session = Mutex(session)
    link = HubLink(context: context, remoteAddress: remoteAddress, frontEnd: frontEnd)
  }

  /// Handles one request: runs the session and carries out its actions.
  func handle(_ request: Openiap_Envelope) async throws {
    let (actions, user) = session.withLock { session in
      (session.handle(request), session.user)
    }
    let connection = link.connection(signedInAs: user)
    var index = 0
    while index < actions.count {
      switch actions[index] {
      case .send(let envelope):
        try await send(envelope, on: connection)
      case .watch(let id, let watch):
        guard let connection else { break }
        let stream = watches.add(id)
        let key = connection.key(stream: stream)
        for specifier in watch.specifiers {
          context.hub.register(specifier.canonicalText, for: key)
        }
        // The watch's reply follows; events reach the client only after it is written.
        if index + 1 < actions.count, case .send(let reply) = actions[index + 1] {
          watches.queuedMessage(activating: stream)
          context.hub.send(.message(Self.buffer(reply)), to: connection)
          index += 1
        }
      case .unwatch(let id):
        if let stream = watches.remove(id), let connection {
          context.hub.deregisterAll(for: connection.key(stream: stream))
        }
      }
      index += 1
    }
  }

  private func send(_ envelope: Openiap_Envelope, on connection: HubConnection?) async throws {
    if let connection {
      watches.queuedMessage()
      context.hub.send(.message(Self.buffer(envelope)), to: connection)
    } else {
      try await sink.send(envelope)
    }
  }

  /// Writes what the hub queues for this client until the connection closes; returns the reason
  /// (nil when the client never signed in).
  func writeDeliveries() async throws -> CloseReason? {
    guard let connection = await link.awaitConnection() else { return nil }
    // One parser per writer (it is not thread-safe): reading an event's Action allocates
    // nothing once its buffers have grown.
    let parser = EventParser(limits: context.hub.configuration.eventLimits)
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
            try await sink.send(
              try Openiap_Envelope(serializedBytes: Array(buffer.readableBytesView)))
            watches.wroteMessage()
          case .event(let buffer, let stream):
            guard let watchID = watches.deliveringWatch(stream) else { continue }
            let action = Self.action(of: buffer, parser: parser)
            try await sink.sendWatchEvent(
              watchID: watchID, action: action, json: Array(buffer.readableBytesView))
          }
        }
      }
    }
  }

  /// Runs `reader` (which feeds requests to ``handle(_:)``) beside the writer until either ends,
  /// then closes the connection.
  ///
  /// A stream error that ended the reader (a frame above the limit, a malformed Envelope, a `seq`
  /// out of order) is told to the client in an `error` Envelope before the transport closes.
  /// Returns why the hub closed the connection, if it did.
  func run(reader: @escaping @Sendable () async throws -> Void) async -> CloseReason? {
    enum Ending: Sendable {
      case readerEnded(Error?)
      case writerEnded(CloseReason?)
    }
    let ending = await withTaskGroup(of: Ending.self) { group in
      group.addTask {
        do {
          try await reader()
          return .readerEnded(nil)
        } catch {
          return .readerEnded(error)
        }
      }
      group.addTask {
        .writerEnded((try? await self.writeDeliveries()) ?? nil)
      }
      let first = await group.next()!
      group.cancelAll()
      close()
      return first
    }
    switch ending {
    case .readerEnded(let error as OpenIAPStreamError):
      var envelope = Openiap_Envelope()
      envelope.command = "error"
      var response = Openiap_ErrorResponse()
      response.message = error.description
      response.code = OpenIAPErrorCode.badRequest.rawValue
      envelope.data = Openiap_Envelope.packed(response)
      try? await sink.send(envelope)
      return nil
    case .readerEnded:
      return nil
    case .writerEnded(let reason):
      return reason
    }
  }

  /// Ends the connection: leaves the hub (dropping its watches) and stops the writer.
  func close(reason: CloseReason = .clientClosed) { link.close(reason: reason) }

  /// The event's `Action` (the WatchEvent's `operation`); "" for bytes the hub would not have
  /// delivered.
  static func action(of event: ByteBuffer, parser: EventParser) -> String {
    event.withUnsafeReadableBytes { raw in
      (try? parser.parse(raw))?.action ?? ""
    }
  }

  static func buffer(_ envelope: Openiap_Envelope) -> ByteBuffer {
    ByteBuffer(bytes: OpenIAPStreamWriter.serialize(envelope))
  }
}
