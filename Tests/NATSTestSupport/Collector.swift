import NATSClient
import NIOConcurrencyHelpers
import NIOCore

/// Messages received by a handler subscription, in arrival order.
public final class Collector: Sendable {
  public init() {}
  private let box = NIOLockedValueBox<[NATSMessage]>([])

  public var handler: @Sendable (NATSMessage) -> Void {
    { message in self.box.withLockedValue { $0.append(message) } }
  }
  public var messages: [NATSMessage] { box.withLockedValue { $0 } }
  public var count: Int { box.withLockedValue { $0.count } }
  public var payloads: [String] { messages.map { String(buffer: $0.payload) } }
}

/// A client configuration for tests: quick backoff and timeouts.
public func testConfiguration(_ urls: [String], name: String = "test") -> NATSClientConfiguration {
  var configuration = NATSClientConfiguration(urls: urls.joined(separator: ","))!
  configuration.name = name
  configuration.initialBackoff = .milliseconds(10)
  configuration.maxBackoff = .milliseconds(100)
  // Generous: CI runs these beside every other suite on two busy cores, and a handshake that
  // times out there reads as a lost connection, not as the failure a test looks for.
  configuration.connectTimeout = .seconds(5)
  configuration.initialConnectRounds = 4
  return configuration
}

/// A connected client.
public func connectedClient(
  _ urls: [String], configure: (inout NATSClientConfiguration) -> Void = { _ in }
)
  async throws -> NATSClient
{
  var configuration = testConfiguration(urls)
  configure(&configuration)
  let client = NATSClient(configuration: configuration)
  try await client.connect()
  return client
}

/// Waits until a message published on any node of `cluster` reaches a subscriber on every
/// other node (routes are up and subscription interest has propagated).
public func waitForMesh(_ cluster: NATSCluster) async throws -> Bool {
  let clients = try await cluster.urls.asyncMap { try await connectedClient([$0]) }
  defer { Task { for client in clients { await client.close() } } }
  let collectors = clients.map { _ in Collector() }
  for (i, client) in clients.enumerated() {
    _ = try client.subscribe(to: "mesh.probe.\(i)", handler: collectors[i].handler)
    try await client.flush()
  }
  return try await eventually(within: 10) {
    for (i, _) in clients.enumerated() {
      for (j, publisher) in clients.enumerated() where j != i {
        try publisher.publish(Array("\(j)".utf8), to: "mesh.probe.\(i)")
      }
    }
    for client in clients { try await client.flush() }
    try? await Task.sleep(nanoseconds: 20_000_000)
    return collectors.allSatisfy { Set($0.payloads).count == 2 }
  }
}

extension Sequence {
  public func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
    var out: [T] = []
    for element in self { out.append(try await transform(element)) }
    return out
  }
}
