import NIOConcurrencyHelpers
import NIOCore
import Winnow

/// The hub's core, without sockets: connections, their registrations, and the delivery of
/// published events to their bounded queues (SPEC sections 7 and 9).
///
/// - ``accept(_:)`` takes a valid event from any source and hands it to the ``EventBus``; what
///   the bus brings back is delivered: parsed once, looked up once in the subscription index,
///   and the same bytes queued to each matching subscriber whose principal may see the event,
///   once each, in the order delivered.
/// - ``register(_:for:reply:)`` and ``deregister(_:for:reply:)`` change a subscriber's
///   registrations and queue the front-end's reply in one step, so the reply precedes every
///   event delivered after the change.
/// - A full queue closes its connection as a slow consumer; delivery to others goes on.
///
/// Every method may be called from any thread. Dispatch and registration changes are serialized
/// by one lock; specifier parsing (the costly part of a command) happens before it is taken.
public final class EventHub: Sendable {
  /// The hub's settings.
  public let configuration: HubConfiguration
  /// The counters behind `/metrics`.
  public let metrics: HubMetrics
  /// The bus between accepting and delivering.
  public let bus: any EventBus

  private let engine: MatchingEngine
  private let state: NIOLockedValueBox<State>
  /// The bus delivers what is published at once, here: a POST body is parsed once, under the
  /// lock, and delivered without going through the bus (see ``publish(body:)``).
  private let publishesLocally: Bool

  /// Guarded by the lock.
  fileprivate struct State: @unchecked Sendable {
    var connections: [UInt64: Entry] = [:]
    /// The open connections by id, for delivery (a lookup without copying an ``Entry``).
    var deliveryTargets: [UInt64: HubConnection] = [:]
    var nextConnectionID: UInt64 = 1
    var matcher: EventDispatcher
    /// Registrations per selector (`type.action.key`), for the bus's interest.
    var selectorReferences: [Substring: Int] = [:]
    /// Told of every interest change, with the bus.
    var interestObservers: [@Sendable (InterestChange) -> Void] = []
  }

  /// A connection and its registrations: stream → canonical specifier → references.
  fileprivate struct Entry {
    let connection: HubConnection
    var registrations: [UInt32: [String: Int]] = [:]
  }

  /// A hub with `configuration`, delivering what `bus` brings back (a ``LocalEventBus`` by
  /// default).
  public init(
    configuration: HubConfiguration = HubConfiguration(), bus: any EventBus = LocalEventBus()
  ) {
    self.configuration = configuration
    self.bus = bus
    publishesLocally = bus is LocalEventBus
    metrics = HubMetrics()
    engine = MatchingEngine(
      specifierLimits: configuration.specifierLimits, eventLimits: configuration.eventLimits)
    state = NIOLockedValueBox(State(matcher: engine.makeMatcher()))
    bus.start { [weak self] event in self?.deliver(event) }
  }

  // MARK: - Connections

  /// Opens a connection for `credential` and publishes its `connections.create` event.
  public func connect(
    credential: Credential, remoteAddress: String, frontEnd: String = "websocket"
  ) -> HubConnection {
    let connection = state.withLockedValue { state in
      let connection = HubConnection(
        id: state.nextConnectionID, credential: credential, remoteAddress: remoteAddress,
        createTime: .now(), frontEnd: frontEnd, queueCapacity: configuration.maxQueue)
      state.nextConnectionID += 1
      state.connections[connection.id] = Entry(connection: connection)
      state.deliveryTargets[connection.id] = connection
      return connection
    }
    metrics.connections.increment()
    metrics.connectionsOpened.increment()
    accept(ConnectionEvent(action: .create, connection: connection).bytes)
    return connection
  }

  /// Closes `connection`: drops its registrations, closes its queue with `reason` (if it is not
  /// closed already) and publishes its `connections.destroy` event.
  ///
  /// Closing twice does nothing.
  public func disconnect(_ connection: HubConnection, reason: CloseReason = .clientClosed) {
    let removed = state.withLockedValue { state -> Bool in
      guard let entry = state.connections.removeValue(forKey: connection.id) else { return false }
      state.deliveryTargets[connection.id] = nil
      var references = 0
      for (stream, registrations) in entry.registrations {
        engine.deregisterAll(for: connection.key(stream: stream))
        for (specifier, count) in registrations {
          references += count
          state.dropSelector(of: specifier, bus: bus)
        }
      }
      metrics.registrations.decrement(by: Double(references))
      return true
    }
    connection.queue.close(reason)
    guard removed else { return }
    metrics.connections.decrement()
    accept(ConnectionEvent(action: .destroy, connection: connection).bytes)
  }

  /// Closes every connection with `reason` (1001 at shutdown).
  public func disconnectAll(reason: CloseReason) {
    let all = state.withLockedValue { Array($0.connections.values.map(\.connection)) }
    for connection in all { disconnect(connection, reason: reason) }
  }

  /// The open connections, by id.
  public var connections: [ConnectionSummary] {
    state.withLockedValue { state in
      state.connections.values.sorted { $0.connection.id < $1.connection.id }.map { entry in
        ConnectionSummary(
          id: entry.connection.id, remoteAddress: entry.connection.remoteAddress,
          principal: entry.connection.principal, createTime: entry.connection.createTime,
          frontEnd: entry.connection.frontEnd,
          registrations: entry.registrations.values.flatMap(\.keys).sorted())
      }
    }
  }

  // MARK: - Registrations

  /// A registration's state after a command: its canonical specifier and reference count.
  public struct Registration: Sendable, Equatable {
    /// The specifier's canonical text.
    public let specifier: String
    /// The references the subscriber holds to it after the command (0: it is gone).
    public let references: Int
  }

  /// Why a register or deregister was refused (nothing changed).
  public enum RegistrationError: Error, Sendable, Equatable {
    /// The specifier is invalid.
    case invalidSpecifier(Diagnostic)
    /// The subscriber holds no reference to this canonical specifier.
    case notRegistered(String)
    /// The connection is closed.
    case closed
  }

  /// Adds one reference from `key` to the specifier `text`; then, under the same lock, queues
  /// what `reply` returns for the outcome on the key's connection, so that the reply precedes
  /// every event delivered after the change.
  @discardableResult
  public func register(
    _ text: String, for key: SubscriberKey,
    reply: (Result<Registration, RegistrationError>) -> Outbound? = { _ in nil }
  ) -> Result<Registration, RegistrationError> {
    let specifier: EventSpecifier
    do {
      specifier = try engine.parseSpecifier(text)
    } catch {
      return replying(.failure(.invalidSpecifier(error)), to: key, reply)
    }
    return state.withLockedValue { state in
      guard state.connections[key.connection] != nil else {
        return Self.queue(.failure(.closed), nil, reply)
      }
      engine.register(specifier, for: key)
      let canonical = specifier.canonicalText
      let references =
        state.connections[key.connection]!.registrations[key.stream, default: [:]][
          canonical, default: 0] + 1
      state.connections[key.connection]!.registrations[key.stream, default: [:]][canonical] =
        references
      if references == 1 { state.addSelector(of: canonical, bus: bus) }
      metrics.registrations.increment()
      let result: Result<Registration, RegistrationError> = .success(
        Registration(specifier: canonical, references: references))
      return Self.queue(result, state.connections[key.connection]!.connection, reply)
    }
  }

  /// Removes one reference from `key` to the specifier `text`, queuing `reply` as `register` does.
  ///
  /// A specifier the key does not hold is ``RegistrationError/notRegistered(_:)``.
  @discardableResult
  public func deregister(
    _ text: String, for key: SubscriberKey,
    reply: (Result<Registration, RegistrationError>) -> Outbound? = { _ in nil }
  ) -> Result<Registration, RegistrationError> {
    let specifier: EventSpecifier
    do {
      specifier = try engine.parseSpecifier(text)
    } catch {
      return replying(.failure(.invalidSpecifier(error)), to: key, reply)
    }
    return state.withLockedValue { state in
      guard let entry = state.connections[key.connection] else {
        return Self.queue(.failure(.closed), nil, reply)
      }
      let canonical = specifier.canonicalText
      guard let held = entry.registrations[key.stream]?[canonical],
        engine.deregister(specifier, for: key)
      else {
        return Self.queue(.failure(.notRegistered(canonical)), entry.connection, reply)
      }
      let references = held - 1
      state.connections[key.connection]!.registrations[key.stream]![canonical] =
        references == 0 ? nil : references
      if references == 0 { state.dropSelector(of: canonical, bus: bus) }
      metrics.registrations.decrement()
      return Self.queue(
        .success(Registration(specifier: canonical, references: references)), entry.connection,
        reply)
    }
  }

  /// Drops every registration of `key` (an OpenIAP `unwatch`); returns the references dropped.
  @discardableResult
  public func deregisterAll(for key: SubscriberKey) -> Int {
    state.withLockedValue { state in
      guard let registrations = state.connections[key.connection]?.registrations[key.stream] else {
        return 0
      }
      state.connections[key.connection]!.registrations[key.stream] = nil
      engine.deregisterAll(for: key)
      var references = 0
      for (specifier, count) in registrations {
        references += count
        state.dropSelector(of: specifier, bus: bus)
      }
      metrics.registrations.decrement(by: Double(references))
      return references
    }
  }

  /// The registrations of `key`: canonical specifier → references.
  public func registrations(of key: SubscriberKey) -> [String: Int] {
    state.withLockedValue { $0.connections[key.connection]?.registrations[key.stream] ?? [:] }
  }

  /// Queues the reply to a refused command under the lock (so it is ordered with events).
  private func replying(
    _ result: Result<Registration, RegistrationError>, to key: SubscriberKey,
    _ reply: (Result<Registration, RegistrationError>) -> Outbound?
  ) -> Result<Registration, RegistrationError> {
    state.withLockedValue { state in
      Self.queue(result, state.connections[key.connection]?.connection, reply)
    }
  }

  private static func queue(
    _ result: Result<Registration, RegistrationError>, _ connection: HubConnection?,
    _ reply: (Result<Registration, RegistrationError>) -> Outbound?
  ) -> Result<Registration, RegistrationError> {
    if let connection, let message = reply(result) { connection.queue.enqueue(message) }
    return result
  }

  /// Queues `message` on `connection` in order with its events (a front-end's own message).
  public func send(_ message: Outbound, to connection: HubConnection) {
    state.withLockedValue { _ in _ = connection.queue.enqueue(message) }
  }

  // MARK: - Publishing

  /// Takes one valid event (its JSON, byte for byte as it will be delivered) for publishing.
  ///
  /// Sources check events first (see ``EventBatch``); an invalid one is dropped at delivery.
  public func accept(_ event: ByteBuffer) {
    metrics.eventsPublished.increment()
    bus.publish(event)
  }

  /// Publishes the events of one `POST /api/v3/events` body, all or none, and returns how many
  /// there were; throws the first line that is not an event (nothing is published then).
  ///
  /// On a hub on its own (a ``LocalEventBus``) each event is parsed once: under the lock, every
  /// event of the body is parsed and matched and its recipients kept, and only when all parsed
  /// are they queued, one serialized frame per event shared by its recipients. A registration
  /// acknowledged before the body sees all of it, one acknowledged after sees none of it. With
  /// another bus the events are checked and handed to the bus, which brings them back to
  /// ``deliver(_:)``.
  @discardableResult
  public func publish(body: ByteBuffer) throws(EventBatch.BadLine) -> Int {
    guard publishesLocally else {
      let batch = try EventBatch(body: body, limits: configuration.eventLimits)
      for event in batch.events { accept(event) }
      return batch.events.count
    }
    var slowConsumers: [HubConnection] = []
    var writers: [HubConnection] = []
    var woken: Set<UInt64> = []
    let outcome = state.withLockedValue { state -> Result<Int, EventBatch.BadLine> in
      let targets = state.deliveryTargets
      let matcher = state.matcher
      var recipients: [Recipient] = []
      var parsed = 0
      let batch: EventBatch
      do throws(EventBatch.BadLine) {
        batch = try EventBatch(body: body) { (event: ByteBuffer) throws(Diagnostic) in
          let index = parsed
          // Parses first, then calls back: a parse error leaves nothing in `recipients`.
          try matcher.dispatch(event) { key, maySee in
            guard let connection = targets[key.connection] else { return }
            if connection.isRestricted, !maySee(connection.credential) { return }
            recipients.append(Recipient(event: index, connection: connection, stream: key.stream))
          }
          parsed += 1
        }
      } catch {
        return .failure(error)
      }
      var framed = ByteBuffer()
      var framedIndex = -1
      var count = 0
      for recipient in recipients {
        if recipient.event != framedIndex {
          framed = FramedEvent.framing(batch.events[recipient.event])
          framedIndex = recipient.event
        }
        // The writers wake once the whole body is queued, each taking all of its frames of
        // the body in one batch.
        switch recipient.connection.queue.enqueue(
          .event(framed, stream: recipient.stream), wakingWriter: false)
        {
        case .queued:
          count += 1
          if woken.insert(recipient.connection.id).inserted { writers.append(recipient.connection) }
        case .overflowed: slowConsumers.append(recipient.connection)
        case .closed: break
        }
      }
      metrics.eventsPublished.increment(by: Int64(batch.events.count))
      metrics.eventsDelivered.increment(by: Int64(count))
      return .success(batch.events.count)
    }
    for connection in writers { connection.queue.wakeWriter() }
    disconnectSlowConsumers(slowConsumers)
    return try outcome.get()
  }

  /// One connection stream an event of a body goes to.
  private struct Recipient {
    /// The event's index in the body.
    let event: Int
    let connection: HubConnection
    let stream: UInt32
  }

  /// Delivers an event the bus brought back to every subscriber it matches and whose principal
  /// may see it, one serialized frame shared by all.
  ///
  /// Returns false (delivering nothing) when the bytes are not an event.
  @discardableResult
  public func deliver(_ event: ByteBuffer) -> Bool {
    var slowConsumers: [HubConnection] = []
    let delivered = state.withLockedValue { state -> Bool in
      let targets = state.deliveryTargets
      var count = 0
      var framed: ByteBuffer?
      do {
        try state.matcher.dispatch(event) { key, maySee in
          guard let connection = targets[key.connection] else { return }
          if connection.isRestricted, !maySee(connection.credential) { return }
          if framed == nil { framed = FramedEvent.framing(event) }
          switch connection.queue.enqueue(.event(framed!, stream: key.stream)) {
          case .queued: count += 1
          case .overflowed: slowConsumers.append(connection)
          case .closed: break
          }
        }
      } catch {
        return false
      }
      metrics.eventsDelivered.increment(by: Int64(count))
      return true
    }
    disconnectSlowConsumers(slowConsumers)
    return delivered
  }

  private func disconnectSlowConsumers(_ connections: [HubConnection]) {
    for connection in connections {
      metrics.slowConsumerDisconnects.increment()
      disconnect(connection, reason: .slowConsumer)
    }
  }

  /// Calls `observer` with every later change of the selectors (`type.action.key` parts) registered
  /// on this hub, and returns the selectors registered now, atomically: an upstream source uses it
  /// to register the union of its clients' selectors.
  ///
  /// The observer is called under the hub's lock: it must not block or call the hub.
  public func observeInterest(_ observer: @escaping @Sendable (InterestChange) -> Void) -> [String]
  {
    state.withLockedValue { state in
      state.interestObservers.append(observer)
      return state.selectorReferences.keys.map(String.init).sorted()
    }
  }

  /// Regex match-limit hits in the registered filters so far.
  public var regexLimitHits: Int { engine.regexLimitHits }

  /// The Prometheus text of ``metrics``.
  public func metricsExposition() -> String {
    metrics.exposition(regexLimitHits: engine.regexLimitHits)
  }
}

extension EventHub.State {
  mutating func addSelector(of canonical: String, bus: any EventBus) {
    let selector = MatchingEngine.selectorPart(ofCanonical: canonical)
    selectorReferences[selector, default: 0] += 1
    if selectorReferences[selector] == 1 {
      announce(InterestChange(selector: String(selector), added: true), bus: bus)
    }
  }

  mutating func dropSelector(of canonical: String, bus: any EventBus) {
    let selector = MatchingEngine.selectorPart(ofCanonical: canonical)
    guard let count = selectorReferences[selector] else { return }
    if count <= 1 {
      selectorReferences[selector] = nil
      announce(InterestChange(selector: String(selector), added: false), bus: bus)
    } else {
      selectorReferences[selector] = count - 1
    }
  }

  func announce(_ change: InterestChange, bus: any EventBus) {
    bus.interestChanged(change)
    for observer in interestObservers { observer(change) }
  }
}
