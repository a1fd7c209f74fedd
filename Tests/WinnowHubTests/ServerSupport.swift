import Foundation
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization
import WSClient
import Winnow

@testable import WinnowHub

#if canImport(Glibc)
  import Glibc
#endif

/// A `winnow serve` hub running in this process on an ephemeral loopback port.
struct RunningHub {
  let server: HubServer
  let group: ServiceGroup
  let port: Int
  let task: Task<Void, any Error>

  var hub: EventHub { server.hub }

  static let tokens = """
    # token principal rights [restrictions]
    reader user:reader read
    publisher user:publisher publish
    both user:both read,publish
    machines-only user:restricted read machines.*.*
    rocketskates:r0cketsk8ts user:rocketskates read,publish
    """

  static func start(
    maxQueue: Int = 10_000, pingInterval: Duration = .seconds(30),
    closeGrace: Duration = .seconds(2),
    webSocketRoutes: [WebSocketRoute] = []
  ) async throws -> RunningHub {
    var logger = Logger(label: "test.hub")
    logger.logLevel = .critical
    let configuration = HubServerConfiguration(
      host: "127.0.0.1", port: 0, credentials: try CredentialStore(parsingTokensFile: tokens),
      hub: HubConfiguration(maxQueue: maxQueue), pingInterval: pingInterval, maxBodySize: 1 << 20,
      closeGrace: closeGrace, logger: logger)
    let server = HubServer(configuration: configuration, webSocketRoutes: webSocketRoutes)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let group = try server.makeServiceGroup { port in continuation.yield(port) }
    let task = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw HubServerError("no port") }
    return RunningHub(server: server, group: group, port: port, task: task)
  }

  func stop() async throws {
    await group.triggerGracefulShutdown()
    try await task.value
  }

  var url: String { "ws://127.0.0.1:\(port)/api/v3/ws" }

  /// Connects with `token` in the query, sends `commands`, calls `during` once the acks are in,
  /// then reads until `events` more text messages arrived (or the server closes).
  ///
  /// Returns every text message received, in order, and the close code if the server closed.
  func client(
    token: String, commands: [String], events: Int = 0,
    during: @escaping @Sendable () async throws -> Void = {}
  ) async throws -> (messages: [String], closeCode: Int?) {
    let received = Mutex<[String]>([])
    let close = try await WebSocketClient.connect(
      url: "\(url)?token=\(token)", configuration: .init(maxFrameSize: 1 << 20),
      logger: Logger(label: "test.client")
    ) { inbound, outbound, _ in
      var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
      for command in commands { try await outbound.write(.text(command)) }
      var count = 0
      while count < commands.count, let message = try await messages.next() {
        if case .text(let text) = message { received.withLock { $0.append(text) } }
        count += 1
      }
      try await during()
      count = 0
      while count < events, let message = try await messages.next() {
        if case .text(let text) = message { received.withLock { $0.append(text) } }
        count += 1
      }
    }
    return (received.withLock { $0 }, close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) })
  }
}

/// A minimal blocking HTTP/1.1 client over a loopback socket: one request, `Connection: close`.
enum RawHTTP {
  struct Reply {
    let status: Int
    let head: String
    let body: String
  }

  static func request(
    port: Int, _ method: String, _ path: String, headers: [String] = [], body: [UInt8] = [],
    headOnly: Bool = false
  ) async throws -> Reply {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for header in headers { head += header + "\r\n" }
    if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    let bytes = try await exchange(port: port, Array(head.utf8) + body, headOnly: headOnly)
    let text = String(decoding: bytes, as: UTF8.self)
    guard let split = text.firstRange(of: "\r\n\r\n") else {
      throw HubServerError("no response head: \(text)")
    }
    let headText = String(text[..<split.lowerBound])
    let status = Int(headText.split(separator: " ").dropFirst().first ?? "") ?? 0
    return Reply(status: status, head: headText, body: String(text[split.upperBound...]))
  }

  /// A websocket upgrade request; returns the status of the answer.
  static func upgradeStatus(port: Int, path: String, headers: [String] = []) async throws -> Int {
    try await request(
      port: port, "GET", path,
      headers: [
        "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ] + headers, headOnly: true
    ).status
  }

  /// Sends `request` and reads until the server closes (at most 5 s), or, with `headOnly`, until
  /// the end of the response head (a 101 keeps the connection open).
  ///
  /// The blocking socket calls run on a thread of their own: on Swift's cooperative pool (two
  /// threads on a 2-core machine) they could hold every thread the hub under test needs to
  /// answer, and the request would time out.
  static func exchange(port: Int, _ request: [UInt8], headOnly: Bool = false) async throws
    -> [UInt8]
  {
    try await withCheckedThrowingContinuation { continuation in
      Thread {
        continuation.resume(
          with: Result { try blockingExchange(port: port, request, headOnly: headOnly) })
      }.start()
    }
  }

  private static func blockingExchange(port: Int, _ request: [UInt8], headOnly: Bool) throws
    -> [UInt8]
  {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HubServerError("socket failed") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw HubServerError("connect failed") }
    var sent = 0
    while sent < request.count {
      let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
      guard n > 0 else { throw HubServerError("send failed") }
      sent += n
    }
    var reply: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { break }
      reply += chunk[..<n]
      if headOnly, String(decoding: reply, as: UTF8.self).contains("\r\n\r\n") { break }
    }
    return reply
  }
}
