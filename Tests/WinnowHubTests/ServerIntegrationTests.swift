import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import Testing
import WSClient
import Winnow

@testable import WinnowHub

/// `winnow serve` in this process on a loopback port, driven by the WSClient websocket client
/// and raw HTTP.
@Suite(.serialized) struct ServerIntegrationTests {
  static let events = [
    #"{"Type":"machines","Action":"save","Key":"m1","Object":{"Stage":"a"}}"#,
    #"{"Type":"profiles","Action":"save","Key":"p"}"#,
    #"{"Type":"machines","Action":"save","Key":"m2","Object":{"Stage":"b"}}"#,
    #"{"Type":"jobs","Action":"create","Key":"j","Object":{"Machine":"m2"}}"#,
  ]

  static func post(_ hub: RunningHub, token: String, _ body: String) async throws
    -> RawHTTP.Reply
  {
    try await RawHTTP.request(
      port: hub.port, "POST", "/api/v3/events", headers: ["Authorization: Bearer \(token)"],
      body: Array(body.utf8))
  }

  @Test func registersReceivesAndAcknowledges() async throws {
    let hub = try await RunningHub.start()
    let body = Self.events.joined(separator: "\n") + "\n"
    let (messages, close) = try await hub.client(
      token: "reader",
      commands: [
        #"register machines.*.*.Object.Stage=Eq("b")"#, "register machine_jobs.*.m2", "bogus",
      ],
      events: 2
    ) {
      let reply = try await Self.post(hub, token: "publisher", body)
      #expect(reply.status == 201)
      #expect(reply.body == #"{"published":4}"#)
    }
    try await hub.stop()
    #expect(messages.count == 5)
    #expect(messages.prefix(3).allSatisfy { $0.contains(#""Type":"websocket""#) })
    #expect(messages[2].contains(#""Code":"unknownCommand""#))
    #expect(Array(messages.suffix(2)) == [Self.events[2], Self.events[3]])
    #expect(close == 1000)
  }

  /// Many events of every frame-header size, posted as two bodies while a command is answered:
  /// the batched writer sends the acks first, then every event once, in order, byte for byte.
  @Test func batchedFramesKeepOrderAndBytes() async throws {
    let hub = try await RunningHub.start()
    // Frames with 7-bit, 16-bit and 64-bit lengths.
    let events = (0..<600).map { n in
      let pad = n % 50 == 3 ? 70_000 : [0, 100, 200][n % 3] / (n % 7 + 1)
      return #"{"Type":"machines","Action":"save","Key":"m\#(n)","Object":{"Pad":""#
        + String(repeating: "x", count: pad) + #""}}"#
    }
    let bodies = [events[..<300], events[300...]].map { $0.joined(separator: "\n") + "\n" }
    let (messages, _) = try await hub.client(
      token: "reader", commands: ["register machines.*.*", "register profiles.*.*"],
      events: events.count
    ) {
      for body in bodies {
        let reply = try await Self.post(hub, token: "publisher", body)
        #expect(reply.status == 201)
      }
    }
    try await hub.stop()
    #expect(messages.prefix(2).allSatisfy { $0.contains(#""Type":"websocket""#) })
    #expect(Array(messages.dropFirst(2)) == events)
  }

  @Test func credentialsAndRights() async throws {
    let hub = try await RunningHub.start()
    defer { Task { try await hub.stop() } }
    let port = hub.port
    #expect(try await RawHTTP.upgradeStatus(port: port, path: "/api/v3/ws") == 401)
    #expect(try await RawHTTP.upgradeStatus(port: port, path: "/api/v3/ws?token=nope") == 401)
    #expect(try await RawHTTP.upgradeStatus(port: port, path: "/api/v3/ws?token=publisher") == 403)
    #expect(try await RawHTTP.upgradeStatus(port: port, path: "/api/v3/ws?Token=reader") == 101)
    #expect(
      try await RawHTTP.upgradeStatus(
        port: port, path: "/api/v3/ws", headers: ["Authorization: Bearer reader"]) == 101)
    // Basic rocketskates:r0cketsk8ts, and the same token in the query.
    #expect(
      try await RawHTTP.upgradeStatus(
        port: port, path: "/api/v3/ws",
        headers: ["Authorization: Basic cm9ja2V0c2thdGVzOnIwY2tldHNrOHRz"]) == 101)
    #expect(
      try await RawHTTP.upgradeStatus(port: port, path: "/api/v3/ws?token=rocketskates:r0cketsk8ts")
        == 101)
    #expect(try await Self.post(hub, token: "reader", Self.events[0]).status == 403)
    #expect(try await Self.post(hub, token: "nope", Self.events[0]).status == 401)
    #expect(try await RawHTTP.request(port: port, "GET", "/api/v3/info").status == 401)
    let info = try await RawHTTP.request(port: port, "GET", "/api/v3/info?token=reader")
    #expect(info.status == 200)
    #expect(info.body.contains("websocket-changed-filter"))
    let metrics = try await RawHTTP.request(port: port, "GET", "/metrics").body
    #expect(metrics.contains(#"winnow_hub_http_client_errors_total{code="401"} 4"#))
    #expect(try await RawHTTP.upgradeStatus(port: port, path: "/elsewhere?token=reader") == 404)
    #expect(try await RawHTTP.request(port: port, "GET", "/api/v3/ws?token=reader").status == 400)
    #expect(metrics.contains(#"winnow_hub_http_client_errors_total{code="403"} 2"#))
  }

  @Test func badBodiesPublishNothing() async throws {
    let hub = try await RunningHub.start()
    defer { Task { try await hub.stop() } }
    let bad = try await Self.post(
      hub, token: "both", Self.events[0] + "\n{\"Type\":\n" + Self.events[1])
    #expect(bad.status == 400)
    #expect(bad.body.contains(#""line":2"#))
    #expect(try await Self.post(hub, token: "both", "").status == 400)
    let garbage = try await RawHTTP.exchange(
      port: hub.port, Array("GARBAGE \u{1} nonsense\r\n\r\n".utf8), headOnly: true)
    #expect(String(decoding: garbage, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
    let tooLarge = try await Self.post(hub, token: "both", String(repeating: " ", count: 2 << 20))
    #expect(tooLarge.status == 413)
    let metrics = try await RawHTTP.request(port: hub.port, "GET", "/metrics").body
    #expect(metrics.contains("winnow_hub_events_published_total 0"))
  }

  @Test func connectionsAreListedAndRestricted() async throws {
    let hub = try await RunningHub.start()
    let (_, _) = try await hub.client(token: "machines-only", commands: ["register *.*.*"]) {
      let all = try await RawHTTP.request(port: hub.port, "GET", "/api/v3/connections?token=reader")
      #expect(all.status == 200)
      #expect(all.body.contains(#""Principal":"user:restricted""#))
      #expect(all.body.contains(#""Registrations":["*.*.*"]"#))
      #expect(all.body.contains(#""Websocket":true"#))
      let own = try await RawHTTP.request(
        port: hub.port, "GET", "/api/v3/connections?token=machines-only")
      #expect(own.body.contains(#""Principal":"user:restricted""#))
    }
    try await hub.stop()
  }

  @Test func restrictedPrincipalOnlySeesItsEvents() async throws {
    let hub = try await RunningHub.start()
    let (messages, _) = try await hub.client(
      token: "machines-only", commands: ["register *.*.*"], events: 2
    ) {
      _ = try await Self.post(hub, token: "publisher", Self.events.joined(separator: "\n"))
    }
    try await hub.stop()
    #expect(Array(messages.dropFirst()) == [Self.events[0], Self.events[2]])
  }

  @Test func binaryFrameClosesWith1003() async throws {
    let hub = try await RunningHub.start()
    let close = try await WebSocketClientProbe.sendBinary(url: hub.url + "?token=reader")
    let metrics = try await RawHTTP.request(port: hub.port, "GET", "/metrics").body
    try await hub.stop()
    #expect(close == 1003)
    #expect(metrics.contains(#"winnow_hub_bad_frames_total{reason="binary"} 1"#))
  }

  @Test func oversizedFrameGetsAnErrorAck() async throws {
    let hub = try await RunningHub.start()
    let big = "register a.b.c." + String(repeating: "x", count: 70_000)
    let (messages, _) = try await hub.client(token: "reader", commands: [big, "register a.b.c"])
    try await hub.stop()
    #expect(messages.count == 2)
    #expect(messages[0].contains(#""Code":"limitExceeded""#))
    #expect(messages[1].contains(#""Action":"register""#))
  }

  @Test func otherFrontEndsAddWebSocketRoutes() async throws {
    // The route greets, then serves until the client closes. (When both ends closed at once, the
    // route by returning and the client by leaving, the client sometimes never finished its close
    // handshake: a run hung in `WebSocketClient.connect`, 1 in about 20 in a loop.)
    let route = WebSocketRoute(path: "/ws/v2", requiredRights: nil) {
      connection, inbound, outbound in
      let who = connection.credential?.principal ?? "nobody"
      try? await outbound.write(.text("hello \(who) from \(connection.request.uri.path)"))
      do {
        for try await _ in inbound {}
      } catch {}
    }
    let hub = try await RunningHub.start(webSocketRoutes: [route])
    let messages = Mutex<[String]>([])
    _ = try await WebSocketClient.connect(
      url: "ws://127.0.0.1:\(hub.port)/ws/v2", logger: Logger(label: "t")
    ) {
      inbound, _, _ in
      // The route sends one message; the client closes after it.
      for try await message in inbound.messages(maxSize: 1000) {
        if case .text(let text) = message { messages.withLock { $0.append(text) } }
        break
      }
    }
    #expect(try await RawHTTP.upgradeStatus(port: hub.port, path: "/api/v3/ws") == 401)
    try await hub.stop()
    #expect(messages.withLock { $0 } == ["hello nobody from /ws/v2"])
  }

  @Test func shutdownClosesWith1001() async throws {
    let hub = try await RunningHub.start()
    let (_, close) = try await hub.client(token: "reader", commands: ["register *.*.*"], events: 1)
    {
      Task { try await hub.stop() }
    }
    #expect(close == 1001)
  }
}

/// Sends one binary frame and reports the server's close code.
enum WebSocketClientProbe {
  static func sendBinary(url: String) async throws -> Int? {
    let close = try await WebSocketClient.connect(url: url, logger: Logger(label: "probe")) {
      inbound, outbound, _ in
      try await outbound.write(.binary(ByteBuffer(bytes: [1, 2, 3])))
      for try await _ in inbound {}
    }
    return close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }
  }
}
