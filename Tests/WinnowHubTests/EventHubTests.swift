import NIOCore
import Testing
import Winnow

@testable import WinnowHub

@Suite struct EventHubTests {
  static let reader = Credential(token: "r", principal: "user:r", rights: .read)

  static func publish(_ hub: EventHub, _ events: [String]) {
    for event in events { hub.accept(ByteBuffer(string: event)) }
  }

  static func events(_ lines: [String]) -> [String] {
    lines.filter { $0.hasPrefix("E") }.map { String($0.dropFirst(2)) }
  }

  static func register(_ hub: EventHub, _ connection: HubConnection, _ specifiers: [String]) {
    let session = WebsocketSession(hub: hub, connection: connection)
    for specifier in specifiers { session.handle(frame: Array("register \(specifier)".utf8)) }
    _ = HubTesting.drain(connection)
  }

  static let corpus = [
    HubTesting.event(type: "machines", key: "m1", #","Object":{"Stage":"a"}"#),
    HubTesting.event(type: "machines", key: "m2", #","Object":{"Stage":"b"}"#),
    HubTesting.event(type: "jobs", action: "create", key: "j1", #","Object":{"Machine":"m1"}"#),
    HubTesting.event(type: "profiles", key: "global"),
    HubTesting.event(type: "jobs", action: "create", key: "j2", #","Object":{"Machine":"m2"}"#),
  ]

  struct DeliveryCase: Sendable, CustomTestStringConvertible {
    let name: String
    let specifiers: [String]
    /// Indices into `corpus` delivered, in order.
    let delivered: [Int]
    var testDescription: String { name }
  }

  @Test(arguments: [
    DeliveryCase(name: "nothing registered", specifiers: [], delivered: []),
    DeliveryCase(name: "everything", specifiers: ["*.*.*"], delivered: [0, 1, 2, 3, 4]),
    DeliveryCase(
      name: "overlapping registrations deliver once",
      specifiers: ["*.*.*", "machines.*.*", "machines.save.m1"], delivered: [0, 1, 2, 3, 4]),
    DeliveryCase(
      name: "a filter", specifiers: [#"machines.*.*.Object.Stage=Eq("b")"#], delivered: [1]),
    DeliveryCase(name: "machine_jobs", specifiers: ["machine_jobs.*.m1"], delivered: [2]),
    DeliveryCase(
      name: "machine and its jobs", specifiers: ["machines,machine_jobs.*.m2"], delivered: [1, 4]),
  ])
  func delivers(_ c: DeliveryCase) {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    Self.register(hub, connection, c.specifiers)
    Self.publish(hub, Self.corpus)
    #expect(Self.events(HubTesting.drain(connection)) == c.delivered.map { Self.corpus[$0] })
  }

  @Test func restrictedPrincipalSeesOnlyWhatItMay() throws {
    let restricted = Credential(
      token: "x", principal: "user:x", rights: .read,
      restrictions: [
        try EventSpecifier(parsing: "machines.*.*"), try EventSpecifier(parsing: "jobs.*.j2"),
      ])
    let hub = EventHub()
    let connection = hub.connect(credential: restricted, remoteAddress: "a")
    Self.register(hub, connection, ["*.*.*"])
    Self.publish(hub, Self.corpus)
    #expect(Self.events(HubTesting.drain(connection)) == [0, 1, 4].map { Self.corpus[$0] })
  }

  @Test func acksPrecedeLaterEventsAndFollowEarlierOnes() throws {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    let session = WebsocketSession(hub: hub, connection: connection)
    session.handle(frame: Array("register machines.*.*".utf8))
    Self.publish(hub, [Self.corpus[0]])
    session.handle(frame: Array("deregister machines.*.*".utf8))
    Self.publish(hub, [Self.corpus[1]])
    session.handle(frame: Array("bogus".utf8))
    let lines = HubTesting.drain(connection)
    #expect(lines.map { $0.prefix(1) } == ["M", "E", "M", "M"])
    #expect(lines[1] == "E " + Self.corpus[0])
  }

  @Test func eventBytesAreDeliveredAsPublished() {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    Self.register(hub, connection, ["*.*.*"])
    let odd = #"{ "Type" : "a\u0062", "Action":"x","Key":"k", "Object": {"n": 1.50e0} }"#
    Self.publish(hub, [odd])
    #expect(HubTesting.drain(connection) == ["E " + odd])
  }

  @Test func slowConsumerIsClosedWithoutDisturbingOthers() {
    let hub = EventHub(configuration: HubConfiguration(maxQueue: 3))
    let slow = hub.connect(credential: Self.reader, remoteAddress: "slow")
    let fast = hub.connect(credential: Self.reader, remoteAddress: "fast")
    Self.register(hub, slow, ["*.*.*"])
    var received: [String] = []
    Self.register(hub, fast, ["machines,jobs,profiles.*.*"])
    for event in Self.corpus {
      Self.publish(hub, [event])
      received += Self.events(HubTesting.drain(fast))
    }
    #expect(received == Self.corpus)
    // Three queued, the fourth overflowed: closed with 1008, nothing left to send.
    #expect(HubTesting.drain(slow) == ["closed 1008 slow consumer"])
    #expect(hub.connections.map(\.remoteAddress) == ["fast"])
    #expect(hub.metricsExposition().contains("winnow_hub_slow_consumer_disconnects_total 1"))
  }

  @Test func queueHoldsExactlyMaxQueue() {
    let hub = EventHub(configuration: HubConfiguration(maxQueue: 4))
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    Self.register(hub, connection, ["*.*.*"])
    Self.publish(hub, Array(Self.corpus.prefix(4)))
    #expect(Self.events(HubTesting.drain(connection)) == Array(Self.corpus.prefix(4)))
    Self.publish(hub, Self.corpus)
    #expect(HubTesting.drain(connection) == ["closed 1008 slow consumer"])
  }

  @Test func connectionEventsArePublished() throws {
    let hub = EventHub()
    let watcher = hub.connect(credential: Self.reader, remoteAddress: "w")
    Self.register(hub, watcher, ["connections.*.*"])
    let other = hub.connect(
      credential: Credential(token: "b", principal: "user:b", rights: .read),
      remoteAddress: "10.0.0.1:5")
    hub.disconnect(other)
    let lines = HubTesting.drain(watcher)
    #expect(lines.count == 2)
    for (line, action) in zip(lines, ["create", "destroy"]) {
      let object = try #require(try HubTesting.object(line))
      #expect(object["Type"] == "connections")
      #expect(object["Action"] == .string(action))
      #expect(object["Key"] == "user:b")
      guard case .object(let body)? = object["Object"] else {
        Issue.record("no Object")
        continue
      }
      #expect(body["RemoteAddr"] == "10.0.0.1:5")
      #expect(body["Principal"] == "user:b")
    }
  }

  @Test func disconnectDropsRegistrationsAndClosesTheQueue() {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    Self.register(hub, connection, ["*.*.*", "a.b.c"])
    hub.disconnect(connection, reason: .goingAway)
    hub.disconnect(connection, reason: .slowConsumer)
    Self.publish(hub, Self.corpus)
    #expect(HubTesting.drain(connection) == ["closed 1001 server shutting down"])
    #expect(hub.connections.isEmpty)
    #expect(hub.metricsExposition().contains("winnow_hub_registrations 0"))
  }

  @Test func busHearsSelectorChanges() {
    let bus = RecordingBus()
    let hub = EventHub(bus: bus)
    let a = hub.connect(credential: Self.reader, remoteAddress: "a")
    let b = hub.connect(credential: Self.reader, remoteAddress: "b")
    Self.register(hub, a, ["machines.save.*.Stage=Eq(1)", "machines.save.*"])
    Self.register(hub, b, ["machines.save.*", "jobs.*.*"])
    hub.deregister("machines.save.*", for: a.key())
    hub.disconnect(b)
    #expect(
      bus.changes == [
        InterestChange(selector: "machines.save.*", added: true),
        InterestChange(selector: "jobs.*.*", added: true),
        InterestChange(selector: "jobs.*.*", added: false),
      ])
    hub.disconnect(a)
    #expect(bus.changes.last == InterestChange(selector: "machines.save.*", added: false))
    // Connection events go through the bus too.
    #expect(bus.published.count == 4)
  }

  @Test func interestObserversGetTheSnapshotThenChanges() {
    let hub = EventHub()
    let a = hub.connect(credential: Self.reader, remoteAddress: "a")
    Self.register(hub, a, ["machines.*.*.Object.Stage=Eq(1)", "jobs.*.*"])
    let seen = RecordingBus()
    let now = hub.observeInterest { seen.interestChanged($0) }
    #expect(now == ["jobs.*.*", "machines.*.*"])
    Self.register(hub, a, ["profiles.*.*"])
    hub.disconnect(a)
    #expect(seen.changes.first == InterestChange(selector: "profiles.*.*", added: true))
    #expect(seen.changes.dropFirst().allSatisfy { !$0.added })
    #expect(seen.changes.count == 4)
  }

  @Test func streamsAreSeparateSubscribers() {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a", frontEnd: "openiap")
    hub.register("machines.*.*", for: connection.key(stream: 1))
    hub.register("*.*.*", for: connection.key(stream: 2))
    hub.register("machines.*.*.Object.Stage=Eq(\"a\")", for: connection.key(stream: 2))
    Self.publish(hub, [Self.corpus[0], Self.corpus[3]])
    // Within one event the order of subscribers is not defined.
    #expect(
      HubTesting.drain(connection).sorted() == [
        "E1 " + Self.corpus[0], "E2 " + Self.corpus[0], "E2 " + Self.corpus[3],
      ])
    hub.deregisterAll(for: connection.key(stream: 2))
    Self.publish(hub, [Self.corpus[0], Self.corpus[3]])
    #expect(HubTesting.drain(connection) == ["E1 " + Self.corpus[0]])
  }

  @Test func invalidEventsAreNotDelivered() {
    let hub = EventHub()
    let connection = hub.connect(credential: Self.reader, remoteAddress: "a")
    Self.register(hub, connection, ["*.*.*"])
    #expect(!hub.deliver(ByteBuffer(string: "[1]")))
    #expect(!hub.deliver(ByteBuffer(string: #"{"Type":1}"#)))
    #expect(hub.deliver(ByteBuffer(string: Self.corpus[0])))
    #expect(Self.events(HubTesting.drain(connection)) == [Self.corpus[0]])
  }
}
