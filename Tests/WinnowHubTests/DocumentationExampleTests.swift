import NIOCore
import Testing
import WinnowHub

/// The code of the DocC articles (Sources/WinnowHub/WinnowHub.docc), against the public API only
/// (no `@testable`): when an example stops compiling or doing what the article says, this fails.
///
/// Keep the two in step.
@Suite struct DocumentationExampleTests {
  /// An event posted after the article's registration, and whether the article's client gets it.
  struct DeliveryCase: Sendable, CustomTestStringConvertible {
    let name: String
    let event: String
    let delivered: Bool
    var testDescription: String { name }
  }

  static let deliveryCases: [DeliveryCase] = [
    DeliveryCase(
      name: "the stage changes to complete",
      event: #"""
        {"Type":"machines","Action":"save","Key":"m1","Object":{"Stage":"complete"},"Original":{"Stage":"discover"}}
        """#,
      delivered: true),
    DeliveryCase(
      name: "the stage was complete already",
      event: #"""
        {"Type":"machines","Action":"save","Key":"m1","Object":{"Stage":"complete"},"Original":{"Stage":"complete"}}
        """#,
      delivered: false),
    DeliveryCase(
      name: "another action",
      event: #"""
        {"Type":"machines","Action":"update","Key":"m1","Object":{"Stage":"complete"},"Original":{"Stage":"discover"}}
        """#,
      delivered: false),
  ]

  /// "The hub without sockets" in EmbeddingTheHub.md.
  @Test(arguments: deliveryCases)
  func hubWithoutSockets(_ example: DeliveryCase) throws {
    let hub = EventHub()
    let connection = hub.connect(credential: .anonymous, remoteAddress: "test:1")
    let session = WebsocketSession(hub: hub, connection: connection)
    let ack = session.handle(
      frame: Array(#"register machines.save.*.Stage=Changed(,"complete")"#.utf8))
    #expect(ack.json.contains(#""Type":"websocket","Action":"register""#))

    hub.accept(ByteBuffer(string: example.event))

    var received: [String] = []
    var items: [Outbound] = []
    if case .items = connection.queue.poll(into: &items) {
      for item in items {
        switch item {
        case .message(let bytes): received.append("ack " + String(buffer: bytes))
        case .event(let bytes, _): received.append("event " + String(buffer: bytes))
        }
      }
    }
    #expect(received == ["ack " + ack.json] + (example.delivered ? ["event " + example.event] : []))
    hub.disconnect(connection)
    #expect(connection.queue.closeReason == .clientClosed)
  }

  /// "A server in your process": publishing NDJSON checked by EventBatch, all or nothing.
  @Test func publishAllOrNothing() throws {
    let configuration = HubServerConfiguration(
      host: "127.0.0.1", port: 0,
      credentials: CredentialStore([CredentialStore.shortToken("s3cret")]),
      hub: HubConfiguration(maxQueue: 1_000))
    let hub = EventHub(configuration: configuration.hub)
    _ = HubServer(configuration: configuration, hub: hub)
    func publish(_ ndjson: String) throws(EventBatch.BadLine) {
      let batch = try EventBatch(body: ByteBuffer(string: ndjson))
      for event in batch.events { hub.accept(event) }
    }
    let watcher = hub.connect(credential: .anonymous, remoteAddress: "test:2")
    WebsocketSession(hub: hub, connection: watcher).handle(frame: Array("register a.*.*".utf8))

    let error = #expect(throws: EventBatch.BadLine.self) {
      try publish("{\"Type\":\"a\",\"Action\":\"b\",\"Key\":\"1\"}\nnot an event\n")
    }
    #expect(error?.line == 2)
    try publish("{\"Type\":\"a\",\"Action\":\"b\",\"Key\":\"2\"}\n")
    var items: [Outbound] = []
    _ = watcher.queue.poll(into: &items)
    let events = items.compactMap { item -> String? in
      if case .event(let bytes, _) = item { return String(buffer: bytes) }
      return nil
    }
    #expect(events == [#"{"Type":"a","Action":"b","Key":"2"}"#])
  }

  /// "Watching from Swift": the options and client of the article (not run: no server).
  @Test func watchClientOptions() throws {
    var options = WatchOptions(
      endpoint: try WatchEndpoint(parsing: "ws://127.0.0.1:8092"),
      specifiers: [try WatchSpecifier(parsing: #"machines.save.*.Stage=Changed(,"complete")"#)],
      token: "s3cret")
    options.maxAttempts = 5
    let client = try WatchClient(options)
    #expect(client.options.endpoint.websocketURL == "ws://127.0.0.1:8092/api/v3/ws")
    #expect(client.options.effectiveToken == "s3cret")
  }
}
