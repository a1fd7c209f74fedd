import NATSClient
import NATSTestSupport
import NIOCore
import Testing
import Winnow
import WinnowHub

@testable import WinnowNATS

/// Three `EventHub`s (the hub core, no sockets), each on its own node of a real three-node NATS
/// cluster through a ``NATSEventBus``: SPEC section 9's delivery across hubs.
@Suite(.timeLimit(.minutes(1))) struct HubClusterTests {
  /// A hub, its bus, and its connections with their registrations.
  struct Node {
    let hub: EventHub
    let bus: NATSEventBus
  }

  struct Client {
    let name: String
    let node: Int
    let specifiers: [String]
    let connection: HubConnection
  }

  static func node(_ url: String) async throws -> Node {
    let bus = NATSEventBus(
      client: NATSClient(configuration: testConfiguration([url])),
      subjects: BusSubjects(prefix: "drp.events")!)
    try await bus.connect()
    return Node(hub: EventHub(bus: bus), bus: bus)
  }

  /// The events queued on a connection: delivered events only, not acks, probes or the hubs'
  /// own connection events.
  static func delivered(_ connection: HubConnection, into seen: inout [String]) {
    while true {
      var items: [Outbound] = []
      guard case .items? = connection.queue.poll(into: &items) else { return }
      for case .event(let bytes, _) in items {
        let text = String(buffer: bytes)
        if text.contains(#""Type":"connections""#) || text.contains("winnowprobe") { continue }
        seen.append(text)
      }
    }
  }

  static func event(_ n: Int) -> String {
    let kinds: [(String, String, String, String)] = [
      ("machines", "save", "m1", ""), ("machines", "update", "m2", ""),
      ("profiles", "save", "p1", ""),
      ("jobs", "create", "j1", #","Object":{"Machine":"m1"}"#),
      ("jobs", "update", "j2", #","Object":{"Machine":"m2"}"#),
      ("a.b", "save", "x", ""), ("params", "we ird>", "y", ""),
    ]
    let (type, action, key, object) = kinds[n % kinds.count]
    return #"{"Type":"\#(type)","Action":"\#(action)","Key":"\#(key)","N":\#(n)\#(object)}"#
  }

  @Test func everyClientOfEveryHubReceivesWhatItsSpecifiersSelectOnce() async throws {
    let cluster = try NATSCluster()
    #expect(try await waitForMesh(cluster))
    let nodes = try await cluster.urls.asyncMap { try await Self.node($0) }
    let plan: [(String, Int, [String])] = [
      ("hub0-all", 0, ["*.*.*"]),
      ("hub0-overlap", 0, ["machines.*.*", "machines.save.*", "*.save.*"]),
      ("hub1-lists", 1, ["machines,profiles.save,update.*"]),
      ("hub1-dotted", 1, [#"a\1b.*.*"#, "jobs.*.*"]),
      ("hub2-jobs", 2, ["machine_jobs.*.m1", "profiles.*.p1"]),
      ("hub2-filter", 2, ["*.*.*.N=In(1,2,3,5,8,13,21,34,55)", "machines.save.m1"]),
    ]
    var clients: [Client] = []
    for (name, node, specifiers) in plan {
      let connection = nodes[node].hub.connect(credential: .anonymous, remoteAddress: name)
      for text in specifiers {
        guard case .success = nodes[node].hub.register(text, for: connection.key()) else {
          Issue.record("\(name): register \(text) failed")
          return
        }
      }
      clients.append(Client(name: name, node: node, specifiers: specifiers, connection: connection))
    }
    // Every hub's interest has reached every node once probes accepted by each hub reach a probe
    // connection on every hub (the probe is registered last).
    let probes = nodes.map { $0.hub.connect(credential: .anonymous, remoteAddress: "probe") }
    for (i, node) in nodes.enumerated() {
      node.hub.register("winnowprobe.*.*", for: probes[i].key())
    }
    var probeEvents = [[String]](repeating: [], count: 3)
    #expect(
      await eventually {
        for (i, node) in nodes.enumerated() {
          node.hub.accept(ByteBuffer(string: #"{"Type":"winnowprobe","Action":"from\#(i)"}"#))
        }
        try? await Task.sleep(nanoseconds: 20_000_000)
        for i in 0..<3 {
          var items: [Outbound] = []
          while case .items? = probes[i].queue.poll(into: &items) {}
          for case .event(let bytes, _) in items { probeEvents[i].append(String(buffer: bytes)) }
        }
        return probeEvents.allSatisfy { Set($0).count == 3 }
      })

    let events = (0..<70).map(Self.event)
    for (n, event) in events.enumerated() { nodes[n % 3].hub.accept(ByteBuffer(string: event)) }
    let parsed = try events.map { try Event(parsing: $0) }
    for client in clients {
      let specifiers = try client.specifiers.map { try EventSpecifier(parsing: $0) }
      let expected = zip(events, parsed).filter { _, event in
        specifiers.contains { $0.matches(event) }
      }.map(\.0)
      var seen: [String] = []
      _ = await eventually {
        Self.delivered(client.connection, into: &seen)
        return seen.count >= expected.count
      }
      try await Task.sleep(nanoseconds: 50_000_000)
      Self.delivered(client.connection, into: &seen)  // a copy would be here by now
      #expect(seen.sorted() == expected.sorted(), "\(client.name)")
      #expect(seen.count == expected.count, "\(client.name): copies")
      for origin in 0..<3 {  // each hub's events in the order it accepted them
        let mine = expected.filter { events.firstIndex(of: $0)! % 3 == origin }
        #expect(
          seen.filter(mine.contains) == mine, "\(client.name): order of hub \(origin)'s events")
      }
    }
    #expect(nodes.allSatisfy { $0.bus.metrics.lostInGaps == 0 })
    #expect(nodes[0].bus.metrics.duplicatesDropped > 0)  // hub 0's subscriptions overlap

    // Interest follows registrations: when hub 1's clients go, its subscriptions go with them.
    #expect(nodes[1].bus.subscribedSubjects.count > 1)
    for client in clients where client.node == 1 { nodes[1].hub.disconnect(client.connection) }
    #expect(nodes[1].bus.subscribedSubjects == ["drp.events.winnowprobe.*"])
    for node in nodes { await node.bus.stop() }
  }
}
