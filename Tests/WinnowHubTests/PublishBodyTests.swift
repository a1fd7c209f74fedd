import NIOCore
import Testing
import Winnow

@testable import WinnowHub

/// `EventHub.publish(body:)`: a POST body parsed once, published all or none.
@Suite struct PublishBodyTests {
  static let reader = EventHubTests.reader
  static let corpus = EventHubTests.corpus

  static func body(_ events: [String]) -> ByteBuffer {
    ByteBuffer(string: events.joined(separator: "\n") + "\n")
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let specifiers: [String]
    /// Indices into `corpus` delivered, in order.
    let delivered: [Int]
    var testDescription: String { name }
  }

  @Test(arguments: [
    Case(name: "nothing registered", specifiers: [], delivered: []),
    Case(name: "everything, in body order", specifiers: ["*.*.*"], delivered: [0, 1, 2, 3, 4]),
    Case(
      name: "overlapping registrations deliver once",
      specifiers: ["*.*.*", "machines.*.*", "machines.save.m1"], delivered: [0, 1, 2, 3, 4]),
    Case(name: "a filter", specifiers: [#"machines.*.*.Object.Stage=Eq("b")"#], delivered: [1]),
    Case(name: "machine_jobs", specifiers: ["machine_jobs.*.m1"], delivered: [2]),
  ])
  func deliversLikeOneEventAtATime(_ c: Case) throws {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    EventHubTests.register(hub, connection, c.specifiers)
    #expect(try hub.publish(body: Self.body(Self.corpus)) == Self.corpus.count)
    #expect(
      EventHubTests.events(HubTesting.drain(connection)) == c.delivered.map { Self.corpus[$0] })
    let published = hub.metricsExposition().split(separator: "\n").first {
      $0.hasPrefix("winnow_hub_events_published_total ")
    }
    // The connection's own create event, then the body.
    #expect(published == "winnow_hub_events_published_total \(1 + Self.corpus.count)")
  }

  typealias BadCase = BadBodyCase

  @Test(arguments: [
    BadCase(
      name: "last line bad", body: corpus.joined(separator: "\n") + "\n{\"Type\":", line: 6,
      column: 9),
    BadCase(
      name: "first line bad", body: "[1]\n" + corpus.joined(separator: "\n"), line: 1, column: 1),
    BadCase(
      name: "middle line not an event",
      body: corpus[0] + "\n" + #"{"Type":1}"# + "\n" + corpus[1], line: 2, column: 9),
    BadCase(name: "blank body", body: "\n \n", line: 1, column: nil),
  ])
  func aBadLinePublishesNothing(_ c: BadCase) {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    EventHubTests.register(hub, connection, ["*.*.*"])
    do {
      _ = try hub.publish(body: ByteBuffer(string: c.body))
      Issue.record("accepted")
    } catch {
      #expect(error.line == c.line)
      #expect(error.column == c.column, "\(error)")
    }
    #expect(HubTesting.drain(connection).isEmpty)
  }

  @Test func aPrettyPrintedBodyIsOneEvent() throws {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    EventHubTests.register(hub, connection, ["*.*.*"])
    let pretty = "{\n  \"Type\": \"machines\",\n  \"Action\": \"save\",\n  \"Key\": \"m\"\n}"
    #expect(try hub.publish(body: ByteBuffer(string: pretty + "\n")) == 1)
    #expect(HubTesting.drain(connection) == ["E " + pretty])
  }

  @Test func acksBeforeTheBodyPrecedeItsEvents() throws {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    let session = WebsocketSession(hub: hub, connection: connection)
    session.handle(frame: Array("register machines.*.*".utf8))
    try hub.publish(body: Self.body(Self.corpus))
    session.handle(frame: Array("deregister machines.*.*".utf8))
    try hub.publish(body: Self.body(Self.corpus))
    let lines = HubTesting.drain(connection)
    #expect(lines.map { $0.prefix(1) } == ["M", "E", "E", "M"])
    #expect(Array(lines[1...2]) == ["E " + Self.corpus[0], "E " + Self.corpus[1]])
  }

  @Test func everyRecipientGetsTheSameFramedBytes() throws {
    let hub = EventHub()
    let first = hub.connect(credential: Self.reader, remoteAddress: "a")
    let second = hub.connect(credential: Self.reader, remoteAddress: "b")
    EventHubTests.register(hub, first, ["machines.*.*"])
    EventHubTests.register(hub, second, ["*.*.m1"])
    try hub.publish(body: Self.body(Self.corpus))
    var items: [Outbound] = []
    var others: [Outbound] = []
    _ = first.queue.poll(into: &items)
    _ = second.queue.poll(into: &others)
    guard case .event(let a, _) = items.first, case .event(let b, _) = others.first else {
      Issue.record("no event queued")
      return
    }
    #expect(String(buffer: a) == Self.corpus[0])
    let frame = try #require(FramedEvent.wholeFrame(of: a))
    #expect(FramedEvent.wholeFrame(of: b) == frame)
    // One buffer for both: the same storage, not a copy per connection.
    let sameStorage = a.withVeryUnsafeBytes { x in
      b.withVeryUnsafeBytes { y in x.baseAddress == y.baseAddress }
    }
    #expect(sameStorage)
  }

  @Test func slowConsumerIsClosedWhileOthersGetTheWholeBody() throws {
    let hub = EventHub(configuration: HubConfiguration(maxQueue: 3))
    let slow = hub.connect(credential: Self.reader, remoteAddress: "slow")
    let fast = hub.connect(credential: Self.reader, remoteAddress: "fast")
    EventHubTests.register(hub, slow, ["*.*.*"])
    EventHubTests.register(hub, fast, ["machines.*.*"])
    try hub.publish(body: Self.body(Self.corpus))
    #expect(HubTesting.drain(slow) == ["closed 1008 slow consumer"])
    #expect(EventHubTests.events(HubTesting.drain(fast)) == [Self.corpus[0], Self.corpus[1]])
    #expect(hub.connections.map(\.remoteAddress) == ["fast"])
    #expect(hub.metricsExposition().contains("winnow_hub_slow_consumer_disconnects_total 1"))
  }

  @Test func withAnotherBusTheEventsGoThroughIt() throws {
    let bus = RecordingBus()
    let hub = EventHub(bus: bus)
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    EventHubTests.register(hub, connection, ["*.*.*"])
    #expect(throws: EventBatch.BadLine.self) {
      try hub.publish(body: ByteBuffer(string: Self.corpus[0] + "\nnope"))
    }
    try hub.publish(body: Self.body(Self.corpus))
    #expect(Array(bus.published.dropFirst()) == Self.corpus)
    #expect(EventHubTests.events(HubTesting.drain(connection)) == Self.corpus)
  }
}
