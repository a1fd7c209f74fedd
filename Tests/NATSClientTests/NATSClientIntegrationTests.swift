import NATSTestSupport
import NIOCore
import Testing

@testable import NATSClient

/// The client against real `nats-server` processes on loopback ports.
@Suite(.timeLimit(.minutes(1))) struct NATSClientIntegrationTests {
  @Test func publishesAndReceivesInOrderWithWildcardsAndHeaders() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url])
    let all = Collector()
    let one = Collector()
    _ = try client.subscribe(to: "drp.events.>", handler: all.handler)
    _ = try client.subscribe(to: "drp.events.*.save", handler: one.handler)
    try await client.flush()
    let headers = NATSHeaders([.init(name: "Winnow-Origin", value: "hub-1")])
    try client.publish(Array("a".utf8), to: "drp.events.machines.save")
    try client.publish(Array("b".utf8), to: "drp.events.machines.update", headers: headers)
    try client.publish(Array("".utf8), to: "drp.events.profiles.save")
    try client.publish(Array("x".utf8), to: "other.subject")
    try await client.flush()
    #expect(await eventually { all.count == 3 && one.count == 2 })
    #expect(all.payloads == ["a", "b", ""])
    #expect(
      all.messages.map(\.subject) == [
        "drp.events.machines.save", "drp.events.machines.update", "drp.events.profiles.save",
      ])
    #expect(all.messages[1].headers?["winnow-origin"] == "hub-1")
    #expect(all.messages[0].headers == nil)
    #expect(one.payloads == ["a", ""])
    #expect(client.statistics.messagesPublished == 4)
    await client.close()
  }

  @Test func enforcesTheServersMaxPayload() async throws {
    let server = try NATSServerProcess(config: "max_payload: 1024\n")
    let client = try await connectedClient([server.url])
    #expect(client.serverInfo?.maxPayload == 1024)
    let received = Collector()
    _ = try client.subscribe(to: "big", handler: received.handler)
    try client.publish([UInt8](repeating: 65, count: 1024), to: "big")
    #expect(throws: NATSClientError.payloadTooLarge(size: 1025, maxPayload: 1024)) {
      try client.publish([UInt8](repeating: 65, count: 1025), to: "big")
    }
    #expect(throws: NATSClientError.payloadTooLarge(size: 1_000_000, maxPayload: 1024)) {
      try client.publish([UInt8](repeating: 65, count: 1_000_000), to: "big")
    }
    try await client.flush()  // the connection survived: nothing too large reached the server
    #expect(await eventually { received.count == 1 })
    #expect(client.statistics.disconnects == 0)
    await client.close()
  }

  @Test func batchesPublishesIntoFewWrites() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url])
    let received = Collector()
    _ = try client.subscribe(to: "batch", handler: received.handler)
    try await client.flush()
    let writesBefore = client.socketWriteCount
    let count = 10_000
    for i in 0..<count { try client.publish(Array(String(i).utf8), to: "batch") }
    try await client.flush()
    let writes = client.socketWriteCount - writesBefore
    // The event loop runs beside the publishing thread, so how many publishes share a write
    // varies; one write per publish would be 10,000.
    #expect(writes <= count / 20, "\(writes) socket writes for \(count) publishes")
    #expect(await eventually { received.count == count })
    #expect(received.payloads == (0..<count).map(String.init))
    await client.close()
  }

  @Test func slowConsumerDropsNewestAndCounts() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url]) { $0.subscriptionBufferLimit = 100 }
    let subscription = try client.subscribe(to: "slow")
    let fast = Collector()
    _ = try client.subscribe(to: "slow", handler: fast.handler)
    try await client.flush()
    for i in 0..<1_000 { try client.publish(Array(String(i).utf8), to: "slow") }
    try await client.flush()
    #expect(await eventually { fast.count == 1_000 })  // the other subscription is not held up
    #expect(subscription.droppedMessageCount == 900)
    #expect(client.statistics.messagesDropped == 900)
    var kept: [String] = []
    for await message in subscription {
      kept.append(String(buffer: message.payload))
      if kept.count == 100 { break }
    }
    #expect(kept == (0..<100).map(String.init))
    await client.close()
  }

  @Test func unsubscribeStopsDeliveryAndEndsTheSequence() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url])
    let subscription = try client.subscribe(to: "u")
    try await client.flush()
    try client.publish(Array("1".utf8), to: "u")
    try await client.flush()
    subscription.unsubscribe()
    try client.publish(Array("2".utf8), to: "u")
    try await client.flush()
    var got: [String] = []
    for await message in subscription { got.append(String(buffer: message.payload)) }
    #expect(got == ["1"])
    await client.close()
  }

  @Test func rejectsBadSubjectsBeforeTheyReachTheServer() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url])
    #expect(throws: NATSClientError.invalidSubject("a b", reason: "whitespace or NUL at byte 1")) {
      try client.publish(Array("x".utf8), to: "a b")
    }
    #expect(
      throws: NATSClientError.invalidSubject("a.*", reason: "wildcard '*' in a publish subject")
    ) {
      try client.publish(Array("x".utf8), to: "a.*")
    }
    #expect(throws: NATSClientError.invalidSubject("a..b", reason: "empty token at byte 2")) {
      _ = try client.subscribe(to: "a..b")
    }
    try await client.flush()
    #expect(client.statistics.serverErrors == 0)
    await client.close()
  }

  @Test func connectFailsClearlyWhenNoServerAnswers() async throws {
    let port = try freeLoopbackPort()
    let client = NATSClient(configuration: testConfiguration(["nats://127.0.0.1:\(port)"]))
    await #expect(throws: NATSClientError.noServerAvailable(["nats://127.0.0.1:\(port)"])) {
      try await client.connect()
    }
    #expect(throws: NATSClientError.closed) { try client.publish(Array("x".utf8), to: "a") }
    var events: [NATSConnectionEvent] = []
    for await event in client.connectionEvents { events.append(event) }  // ends: the client closed
    #expect(events == [.closed])
  }

  @Test func givesUpAfterTheConfiguredReconnectRounds() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url]) { $0.maxReconnectRounds = 3 }
    server.kill()
    var events: [NATSConnectionEvent] = []
    for await event in client.connectionEvents { events.append(event) }
    #expect(events.count == 3)
    #expect(events.dropFirst() == [.disconnected(reason: "connection closed"), .closed])
    #expect(throws: NATSClientError.closed) { try client.publish(Array("x".utf8), to: "a") }
  }

  @Test func refusedCredentialsAreReported() async throws {
    let server = try NATSServerProcess(extraArguments: ["--user", "hub", "--pass", "s3cret"])
    let anonymous = NATSClient(configuration: testConfiguration([server.url]))
    await #expect(throws: NATSClientError.self) { try await anonymous.connect() }
    let client = try await connectedClient(["nats://hub:s3cret@127.0.0.1:\(server.port)"])
    try await client.flush()
    await client.close()
  }

  @Test func reconnectsToARestartedServerWithSubscriptionsAndPendingPublishes() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url])
    let received = Collector()
    _ = try client.subscribe(to: "r.*", handler: received.handler)
    try await client.flush()
    try client.publish(Array("before".utf8), to: "r.1")
    try await client.flush()
    #expect(await eventually { received.count == 1 })

    server.kill()
    #expect(await eventually { client.connectedServer == nil })
    try client.publish(Array("while-down".utf8), to: "r.2")  // waits in the pending buffer
    await #expect(throws: NATSClientError.connectionLost) { try await client.flush() }
    try server.start()
    #expect(await eventually { client.connectedServer != nil })
    let publisher = try await connectedClient([server.url])
    try publisher.publish(Array("after".utf8), to: "r.3")
    try await publisher.flush()
    try await client.flush()
    #expect(await eventually { received.count == 3 })
    #expect(Set(received.payloads) == ["before", "while-down", "after"])
    #expect(client.statistics.reconnects == 1)
    #expect(client.statistics.disconnects == 1)
    await publisher.close()
    await client.close()
    var events: [String] = []
    for await event in client.connectionEvents {
      switch event {
      case .connected(let address, _): events.append("connected \(address.port)")
      case .disconnected: events.append("disconnected")
      case .closed: events.append("closed")
      }
    }
    let port = server.port
    #expect(events == ["connected \(port)", "disconnected", "connected \(port)", "closed"])
  }

  @Test func boundsWhatWaitsWhileDisconnected() async throws {
    let server = try NATSServerProcess()
    let client = try await connectedClient([server.url]) { $0.pendingBufferLimit = 1_000 }
    server.kill()
    #expect(await eventually { client.connectedServer == nil })
    var accepted = 0
    var refused = 0
    for _ in 0..<100 {
      do {
        try client.publish([UInt8](repeating: 65, count: 90), to: "p")
        accepted += 1
      } catch {
        #expect(error == .pendingBufferFull(limit: 1_000))
        refused += 1
      }
    }
    #expect(accepted > 0 && accepted < 12)
    #expect(refused == 100 - accepted)
    #expect(client.statistics.publishesDropped == refused)
    await client.close()
  }

  @Test func failsOverAcrossAClusterLearntFromINFO() async throws {
    let cluster = try NATSCluster()
    #expect(try await waitForMesh(cluster))
    // Configured with the first node only: the others come from INFO's connect_urls.
    let client = try await connectedClient([cluster.urls[0]])
    #expect(await eventually { client.knownServers.count == 3 })
    let received = Collector()
    _ = try client.subscribe(to: "c.>", handler: received.handler)
    try await client.flush()
    let publisher = try await connectedClient([cluster.urls[2]])
    #expect(
      try await eventually {
        try publisher.publish(Array("probe".utf8), to: "c.probe")
        try await publisher.flush()
        return received.count > 0
      })

    cluster.nodes[0].kill()
    #expect(
      await eventually {
        (client.connectedServer?.port ?? cluster.nodes[0].port) != cluster.nodes[0].port
      })
    // The subscription was restored on the new node: messages from the third node arrive.
    try await client.flush()
    let before = received.count
    #expect(
      try await eventually {
        try publisher.publish(Array("after".utf8), to: "c.after")
        try await publisher.flush()
        return received.payloads.dropFirst(before).contains("after")
      })
    // At least one: in a cluster the client may hop once more while the routes settle.
    #expect(client.statistics.reconnects >= 1)
    await publisher.close()
    await client.close()
  }
}
