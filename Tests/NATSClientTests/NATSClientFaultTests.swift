import NATSTestSupport
import Testing

@testable import NATSClient

/// The client against a scripted fake server: faults a real server does not produce on demand.
@Suite(.timeLimit(.minutes(1))) struct NATSClientFaultTests {
  @Test func garbageFromTheServerClosesTheConnectionAndReconnects() async throws {
    let server = try await ScriptedServer(.sendAfterHandshake("MSG a.b notasid 3\r\nabc\r\n"))
    let client = try await connectedClient([server.url])
    #expect(await eventually { client.statistics.protocolErrors >= 1 })
    #expect(await eventually { server.connectionCount >= 2 })  // it came back
    await client.close()
    await server.stop()
  }

  @Test func aServerThatStopsAnsweringPingsIsReplaced() async throws {
    let server = try await ScriptedServer(.stopAnsweringPings)
    let client = try await connectedClient([server.url]) {
      $0.pingInterval = .milliseconds(30)
      $0.maxOutstandingPings = 2
    }
    // Two PINGs unanswered, the third interval closes the connection: ~90 ms.
    #expect(await eventually { client.statistics.disconnects >= 1 })
    #expect(await eventually { server.connectionCount >= 2 })
    await client.close()
    await server.stop()
  }

  @Test func aRefusalDuringTheHandshakeIsReported() async throws {
    let server = try await ScriptedServer(.refuse("Authorization Violation"))
    let client = NATSClient(configuration: testConfiguration([server.url]))
    await #expect(throws: NATSClientError.noServerAvailable([server.url])) {
      try await client.connect()
    }
    #expect(client.statistics.serverErrors >= 1)
    await server.stop()
  }
}
