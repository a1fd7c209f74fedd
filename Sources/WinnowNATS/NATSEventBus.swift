import NATSClient
import NIOConcurrencyHelpers
import NIOCore
import Prometheus
import Winnow

/// The event bus between hubs: every event a hub accepts is published to NATS, and the hub
/// delivers to its clients what comes back from NATS, its own events included, so that all
/// hubs deliver the same events in the order NATS gives them.
///
/// Each event goes out on `PREFIX.<type>.<action>` with headers naming its origin (this bus's
/// random id) and its number on that subject; the payload is the event's bytes as published.
/// The bus subscribes to the union of its hub's registrations' subjects (refcounted), delivers
/// each event once however many of its subscriptions cover it, and counts the events NATS lost
/// (core NATS is at most once) from gaps in the numbers.
public final class NATSEventBus: Sendable {
  /// Counters for `/metrics`.
  public struct Metrics: Hashable, Sendable {
    /// Events handed to NATS.
    public var published: UInt64 = 0
    /// Events this hub accepted but could not hand to NATS (pending buffer full, too large).
    public var publishFailures: UInt64 = 0
    /// Messages received from NATS, duplicates included.
    public var received: UInt64 = 0
    /// Events delivered to the hub, once each.
    public var delivered: UInt64 = 0
    /// Copies dropped (several subscriptions of this hub covered the event).
    public var duplicatesDropped: UInt64 = 0
    /// Events of other hubs (or this one) that never arrived, from gaps in their numbers.
    public var lostInGaps: UInt64 = 0
    /// NATS subscriptions held now.
    public var subscriptions: Int = 0
    /// Reconnections to NATS since start.
    public var reconnects: Int = 0
    /// Whether the client is connected to a NATS server now.
    public var connected: Bool = false
  }

  /// How events map to subjects (the prefix, the job types' shared subject).
  public let subjects: BusSubjects
  /// This hub's id in the `Winnow-Origin` header.
  public let originID: String
  private let client: NATSClient
  private let state = NIOLockedValueBox(State())

  /// Guarded by the lock (the event parser is not thread-safe).
  private struct State: @unchecked Sendable {
    var parser = EventParser()
    var deliver: (@Sendable (ByteBuffer) -> Void)?
    var interest = BusInterest()
    var sids: [String: UInt64] = [:]
    var sequence = BusPublishSequence()
    var tracker = BusReceiveTracker()
    var metrics = Metrics()
    var prometheus: BusPrometheus?
  }

  /// A bus on `client` (not yet connected); `deliver` receives every event for this hub's clients,
  /// once, on the NATS connection's event loop, in NATS order.
  ///
  /// It must not block.
  public init(
    client: NATSClient, subjects: BusSubjects, originID: String = NATSEventBus.randomOriginID(),
    deliver: (@Sendable (ByteBuffer) -> Void)? = nil
  ) {
    self.client = client
    self.subjects = subjects
    self.originID = originID
    state.withLockedValue { $0.deliver = deliver }
  }

  /// Sets where received events go (see ``init(client:subjects:originID:deliver:)``).
  public func setDeliver(_ deliver: @escaping @Sendable (ByteBuffer) -> Void) {
    state.withLockedValue { $0.deliver = deliver }
  }

  /// A fresh random id, so that a restarted hub's numbering is not mistaken for an old one's.
  public static func randomOriginID() -> String {
    var generator = SystemRandomNumberGenerator()
    let value = generator.next() as UInt64
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// Connects to the cluster (see `NATSClient.connect()`).
  public func connect() async throws(NATSClientError) {
    try await client.connect()
  }

  /// Closes the NATS connection.
  public func stop() async {
    await client.close()
  }

  /// Publishes one accepted event; false when it could not be handed to NATS (counted in
  /// ``Metrics/publishFailures``).
  @discardableResult
  public func publish(_ event: ByteBuffer, type: String, action: String) -> Bool {
    let subject = subjects.subject(type: type, action: action)
    return state.withLockedValue { state in
      let origin = BusOrigin(id: originID, sequence: state.sequence.peek(subject))
      do {
        try client.publish(event, to: subject, headers: origin.headers)
        state.sequence.commit(subject)
        state.metrics.published += 1
        state.prometheus?.published.increment()
        return true
      } catch {
        state.metrics.publishFailures += 1
        state.prometheus?.publishFailures.increment()
        return false
      }
    }
  }

  /// Publishes one accepted event, reading its type and action from its bytes; false when it is
  /// not an event (the hub accepts only valid ones) or could not be handed to NATS.
  @discardableResult
  public func publishParsing(_ event: ByteBuffer) -> Bool {
    let kind: (type: String, action: String)? = state.withLockedValue { state in
      event.withUnsafeReadableBytes { bytes in
        guard let parsed = try? state.parser.parse(bytes) else { return nil }
        return (parsed.type, parsed.action)
      }
    }
    guard let kind else {
      state.withLockedValue { state in
        state.metrics.publishFailures += 1
        state.prometheus?.publishFailures.increment()
      }
      return false
    }
    return publish(event, type: kind.type, action: kind.action)
  }

  /// Adds one reference to the subjects `specifier` needs, subscribing to new ones.
  public func addInterest(_ specifier: EventSpecifier) {
    let wanted = subjects.interest(of: specifier)
    state.withLockedValue { state in
      for subject in state.interest.add(wanted) {
        do {
          state.sids[subject] = try client.subscribe(to: subject) { [weak self] message in
            self?.receive(message)
          }
        } catch {
          // Only a closed client refuses a subscription with a valid subject; nothing to keep.
        }
      }
      state.metrics.subscriptions = state.sids.count
      state.prometheus?.subscriptions.set(Int64(state.sids.count))
    }
  }

  /// Removes one reference from the subjects `specifier` needs, unsubscribing from those no
  /// registration needs any more.
  public func removeInterest(_ specifier: EventSpecifier) {
    let unwanted = subjects.interest(of: specifier)
    state.withLockedValue { state in
      let removed = state.interest.remove(unwanted)
      for subject in removed {
        if let sid = state.sids.removeValue(forKey: subject) { client.unsubscribe(sid) }
      }
      if !removed.isEmpty {
        let interest = state.interest
        state.tracker.forget { !interest.covers($0) }
      }
      state.metrics.subscriptions = state.sids.count
      state.prometheus?.subscriptions.set(Int64(state.sids.count))
    }
  }

  /// Shows the bus's counters in `registry` (the hub's, so that `/metrics` has them): from now on
  /// every change is counted there too, and the connection state follows the client's connection
  /// events.
  ///
  /// Call once, before ``connect()``.
  public func exportMetrics(to registry: PrometheusCollectorRegistry) {
    let prometheus = BusPrometheus(registry: registry)
    state.withLockedValue { $0.prometheus = prometheus }
    let events = client.connectionEvents
    Task {
      var connections = 0
      for await event in events {
        switch event {
        case .connected:
          connections += 1
          if connections > 1 { prometheus.reconnects.increment() }
          prometheus.connected.set(Int64(1))
        case .disconnected, .closed:
          prometheus.connected.set(Int64(0))
        }
      }
    }
  }

  /// The subjects subscribed now, sorted.
  public var subscribedSubjects: [String] { state.withLockedValue { $0.sids.keys.sorted() } }

  /// The counters now.
  public var metrics: Metrics {
    var metrics = state.withLockedValue { $0.metrics }
    metrics.reconnects = client.statistics.reconnects
    metrics.connected = client.connectedServer != nil
    return metrics
  }

  /// One message from NATS: delivered unless it is a copy; gaps counted.
  private func receive(_ message: NATSMessage) {
    let deliver: (@Sendable (ByteBuffer) -> Void)? = state.withLockedValue { state in
      state.metrics.received += 1
      state.prometheus?.received.increment()
      guard let origin = BusOrigin(message.headers) else {
        state.metrics.delivered += 1
        return state.deliver
      }
      switch state.tracker.receive(subject: message.subject, from: origin) {
      case .duplicate:
        state.metrics.duplicatesDropped += 1
        state.prometheus?.duplicatesDropped.increment()
        return nil
      case .deliver(let lost):
        if lost > 0 {
          state.metrics.lostInGaps += lost
          state.prometheus?.lostInGaps.increment(by: Int64(lost))
        }
        state.metrics.delivered += 1
        return state.deliver
      }
    }
    deliver?(message.payload)
  }
}
