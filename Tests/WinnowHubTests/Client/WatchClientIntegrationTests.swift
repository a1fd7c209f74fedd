import NIOCore
import Synchronization
import Testing
import Winnow

@testable import WinnowHub

/// The watch client and the upstream source against the hub running in this process.
@Suite("WatchClient against an in-process hub")
struct WatchClientIntegrationTests {
  static let events = [
    #"{"Type":"machines","Action":"save","Key":"m1","Object":{"Stage":"a"},"Original":{"Stage":"b"}}"#,
    #"{"Type":"machines","Action":"save","Key":"m2","Object":{"Stage":"a"},"Original":{"Stage":"a"}}"#,
    #"{"Type":"jobs","Action":"update","Key":"j1","Object":{"State":"failed"}}"#,
    #"{"Type":"profiles","Action":"save","Key":"p1","Object":{}}"#,
    #"{"Type":"machines","Action":"delete","Key":"m3","Object":{"Stage":"x"}}"#,
  ]

  /// Watches `specifiers` with `token`, publishes `events` once registered, and returns the
  /// events delivered until `count` arrived (or the error the watch ended with).
  static func watch(
    _ hub: RunningHub, token: String, specifiers: [String], count: Int
  ) async throws -> Result<[String], WatchError> {
    var options = WatchOptions(
      endpoint: try WatchEndpoint(parsing: "ws://127.0.0.1:\(hub.port)"),
      specifiers: try specifiers.map { try WatchSpecifier(parsing: $0) }, token: token)
    options.maxAttempts = 1
    let client = try WatchClient(options)
    let delivered = Mutex<[String]>([])
    let eventHub = hub.hub
    do {
      try await client.run(
        notice: { notice in
          guard case .registered = notice else { return }
          for event in events { eventHub.accept(ByteBuffer(string: event)) }
        },
        deliver: { event in
          let total = delivered.withLock {
            $0.append(String(decoding: event.bytes, as: UTF8.self))
            return $0.count
          }
          return total >= count ? .stop : .proceed
        })
    } catch {
      return .failure(error)
    }
    return .success(delivered.withLock { $0 })
  }

  @Test func deliversWhatTheHubFiltersOnceEachInOrder() async throws {
    let hub = try await RunningHub.start()
    let result = try await Self.watch(
      hub, token: "both",
      specifiers: [
        "machines.save.*.Stage=Changed()", "jobs.*.*", #"*.*.*.Object.State=Eq("failed")"#,
        "*.delete.*",
      ],
      count: 3)
    try await hub.stop()
    #expect(try result.get() == [Self.events[0], Self.events[2], Self.events[4]])
  }

  @Test func aRestrictedPrincipalSeesOnlyItsEvents() async throws {
    let hub = try await RunningHub.start()
    let result = try await Self.watch(hub, token: "machines-only", specifiers: ["*.*.*"], count: 3)
    try await hub.stop()
    #expect(try result.get() == [Self.events[0], Self.events[1], Self.events[4]])
  }

  struct Refusal: CustomTestStringConvertible, Sendable {
    let token: String
    let status: Int
    var testDescription: String { "\(token) → \(status)" }
  }

  @Test(arguments: [
    Refusal(token: "unknown", status: 401), Refusal(token: "publisher", status: 403),
  ])
  func refusedTokensEndTheWatch(_ c: Refusal) async throws {
    let hub = try await RunningHub.start()
    let result = try await Self.watch(hub, token: c.token, specifiers: ["*.*.*"], count: 1)
    try await hub.stop()
    guard case .failure(.unauthorized(let status, _)) = result else {
      Issue.record("expected a refusal, got \(result)")
      return
    }
    #expect(status == c.status)
  }

  @Test func anUnreachableEndpointGivesUpAfterMaxAttempts() async throws {
    var options = WatchOptions(
      endpoint: try WatchEndpoint(parsing: "ws://127.0.0.1:9"),
      specifiers: [try WatchSpecifier(parsing: "a.b.c")])
    options.maxAttempts = 2
    options.backoff = ReconnectBackoff(initial: .milliseconds(1), maximum: .milliseconds(1))
    let notices = Mutex<[WatchNotice]>([])
    await #expect(throws: WatchError.self) {
      try await WatchClient(options).run(notice: { n in notices.withLock { $0.append(n) } }) { _ in
        .proceed
      }
    }
    let retries = notices.withLock { $0.filter { if case .retrying = $0 { true } else { false } } }
    #expect(retries.count == 1)
  }

  @Test func theUpstreamSourceRepublishesEverythingItMaySee() async throws {
    let hub = try await RunningHub.start()
    let source = try UpstreamSource(url: "http://127.0.0.1:\(hub.port)", token: "both")
    let received = Mutex<[String]>([])
    let eventHub = hub.hub
    let task = Task {
      try await source.run(
        notice: { notice in
          guard case .registered = notice else { return }
          for event in WatchClientIntegrationTests.events {
            eventHub.accept(ByteBuffer(string: event))
          }
        },
        publish: { event in
          received.withLock { $0.append(String(decoding: event.bytes, as: UTF8.self)) }
        })
    }
    let deadline = ContinuousClock.now + .seconds(10)
    while received.withLock({ $0.count }) < Self.events.count && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(10))
    }
    task.cancel()
    _ = try? await task.value
    try await hub.stop()
    // Every published event, in order (the upstream's acknowledgement is not republished).
    #expect(received.withLock { $0 } == Self.events)
  }
}
