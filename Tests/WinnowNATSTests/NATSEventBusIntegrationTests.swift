import NATSClient
import NATSTestSupport
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Winnow

@testable import WinnowNATS

/// Buses on a real three-node NATS cluster, one bus per node.
@Suite(.timeLimit(.minutes(1))) struct NATSEventBusIntegrationTests {
  /// What one bus delivered, as the events' text.
  final class Deliveries: Sendable {
    private let box = NIOLockedValueBox<[String]>([])
    var deliver: @Sendable (ByteBuffer) -> Void {
      { event in self.box.withLockedValue { $0.append(String(buffer: event)) } }
    }
    /// The events delivered, probes left out.
    var events: [String] { box.withLockedValue { $0 }.filter { !$0.contains("winnowprobe") } }
    var probes: Set<String> {
      Set(box.withLockedValue { $0 }.filter { $0.contains("winnowprobe") })
    }
  }

  /// Waits until every bus's subscriptions have reached every node: each bus subscribes to a
  /// probe subject last (routes forward interest in order) and the probes published by every
  /// bus reach every bus.
  static func waitForInterest(_ buses: [NATSEventBus], _ deliveries: [Deliveries]) async throws
    -> Bool
  {
    for bus in buses { bus.addInterest(try EventSpecifier(parsing: "winnowprobe.*.*")) }
    return await eventually {
      for (i, bus) in buses.enumerated() {
        bus.publish(
          ByteBuffer(string: #"{"Type":"winnowprobe","Action":"b\#(i)"}"#), type: "winnowprobe",
          action: "b\(i)")
      }
      try? await Task.sleep(nanoseconds: 20_000_000)
      return deliveries.allSatisfy { $0.probes.count == buses.count }
    }
  }

  static func bus(_ url: String, _ deliveries: Deliveries, prefix: String = "test.events")
    async throws
    -> NATSEventBus
  {
    let client = NATSClient(configuration: testConfiguration([url]))
    let bus = NATSEventBus(
      client: client, subjects: BusSubjects(prefix: prefix)!, deliver: deliveries.deliver)
    try await bus.connect()
    return bus
  }

  static func event(_ type: String, _ action: String, _ n: Int) -> String {
    #"{"Type":"\#(type)","Action":"\#(action)","Key":"k\#(n)","Object":{"n":\#(n)}}"#
  }

  @Test func everyBusDeliversWhatItsInterestSelectsOnce() async throws {
    let cluster = try NATSCluster()
    #expect(try await waitForMesh(cluster))
    let deliveries = (0..<3).map { _ in Deliveries() }
    let buses = try await (0..<3).asyncMap { try await Self.bus(cluster.urls[$0], deliveries[$0]) }
    // Overlapping registrations: bus 0 everything twice over, bus 1 machines (any action) and
    // saves of anything, bus 2 one odd type and the jobs of machines.
    let registrations = [
      ["*.*.*", "machines.*.*", "*.save.*"],
      ["machines.*.*", "*.save.*", "machines,profiles.save.*"],
      [#"a\1b.*.*"#, "machine_jobs.*.m1"],
    ]
    for (i, specifiers) in registrations.enumerated() {
      for text in specifiers { buses[i].addInterest(try EventSpecifier(parsing: text)) }
    }
    #expect(
      buses[0].subscribedSubjects == [
        "test.events.*.*", "test.events.*.save", "test.events.machines.*",
      ])
    #expect(try await Self.waitForInterest(buses, deliveries))
    let kinds = [
      ("machines", "save"), ("machines", "update"), ("profiles", "save"), ("a.b", "create"),
      ("jobs", "create"), ("params", "delete"),
    ]
    var published: [String] = []
    for n in 0..<60 {
      let (type, action) = kinds[n % kinds.count]
      let event = Self.event(type, action, n)
      published.append(event)
      #expect(buses[n % 3].publish(ByteBuffer(string: event), type: type, action: action))
    }
    func selected(_ types: (String, String) -> Bool) -> [String] {
      (0..<60).filter { types(kinds[$0 % kinds.count].0, kinds[$0 % kinds.count].1) }.map {
        Self.event(kinds[$0 % kinds.count].0, kinds[$0 % kinds.count].1, $0)
      }
    }
    let expected = [
      published,
      selected { $0 == "machines" || $1 == "save" },
      selected { type, _ in type == "a.b" || type == "jobs" },
    ]
    for i in 0..<3 {
      #expect(await eventually { deliveries[i].events.count >= expected[i].count })
      try? await Task.sleep(nanoseconds: 100_000_000)  // nothing more (no copies) arrives
      #expect(Set(deliveries[i].events) == Set(expected[i]), "bus \(i)")
      #expect(deliveries[i].events.count == expected[i].count, "bus \(i) delivered copies")
      // One publisher's events arrive in its order.
      for origin in 0..<3 {
        let mine = expected[i].filter { e in published.firstIndex(of: e)! % 3 == origin }
        #expect(
          deliveries[i].events.filter(mine.contains) == mine, "bus \(i), events of bus \(origin)")
      }
    }
    #expect(buses[0].metrics.duplicatesDropped > 0)
    #expect(buses.allSatisfy { $0.metrics.lostInGaps == 0 })
    for bus in buses { await bus.stop() }
  }

  @Test func countsWhatANodeFailureLosesAndRecovers() async throws {
    let cluster = try NATSCluster()
    #expect(try await waitForMesh(cluster))
    let deliveries = (0..<3).map { _ in Deliveries() }
    let buses = try await (0..<3).asyncMap { try await Self.bus(cluster.urls[$0], deliveries[$0]) }
    for bus in buses { bus.addInterest(try EventSpecifier(parsing: "machines.*.*")) }
    #expect(try await Self.waitForInterest(buses, deliveries))

    let counter = NIOLockedValueBox(0)
    @Sendable func publishRound() {
      let n = counter.withLockedValue {
        $0 += 1
        return $0
      }
      for (i, bus) in buses.enumerated() {
        bus.publish(
          ByteBuffer(string: Self.event("machines", "save", n * 10 + i)), type: "machines",
          action: "save")
      }
    }
    let flow = Task {
      for _ in 0..<300 {
        publishRound()
        try? await Task.sleep(nanoseconds: 1_000_000)
      }
    }
    try await Task.sleep(nanoseconds: 60_000_000)
    cluster.nodes[0].kill()  // bus 0's node, while events flow
    await flow.value
    // At least one reconnect: in a cluster the client may land on a node that is itself still
    // taking the lost routes and hop once more (two were seen once, under load).
    #expect(await eventually { buses[0].metrics.connected && buses[0].metrics.reconnects >= 1 })
    // Until every bus has received a later event from every bus, publish more: then every event
    // lost in the gap lies between two delivered ones and is counted.
    #expect(
      await eventually(within: 10) {
        publishRound()
        try? await Task.sleep(nanoseconds: 20_000_000)
        let last = counter.withLockedValue { $0 }
        return deliveries.allSatisfy { d in
          (0..<3).allSatisfy { i in d.events.contains(Self.event("machines", "save", last * 10 + i))
          }
        }
      })
    let published = counter.withLockedValue { $0 } * 3
    for (i, bus) in buses.enumerated() {
      let metrics = bus.metrics
      #expect(metrics.publishFailures == 0)
      #expect(
        UInt64(deliveries[i].events.count) + metrics.lostInGaps == UInt64(published),
        "bus \(i): \(deliveries[i].events.count) delivered + \(metrics.lostInGaps) lost != \(published) published"
      )
      #expect(
        Set(deliveries[i].events).count == deliveries[i].events.count, "bus \(i) delivered a copy")
    }
    for bus in buses { await bus.stop() }
  }
}
