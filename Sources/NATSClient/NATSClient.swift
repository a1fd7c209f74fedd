import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A NATS client on SwiftNIO: one connection to one server of a cluster at a time, replaced by
/// a connection to another server (with backoff) when it is lost, with every subscription
/// restored on the new connection.
///
/// Publishes are written in batches: every publish made before the event loop gets to write
/// goes out in one socket write. While disconnected, publishes wait in a bounded buffer and are
/// written after the next handshake; NATS core delivery is at most once, so messages the
/// server had not received when a connection broke are lost.
///
/// Every method may be called from any thread. Message handlers run on the connection's event
/// loop, in the order the server sent the messages.
public final class NATSClient: Sendable {
  /// The version sent in `CONNECT`.
  public static let version = "0.1.0"

  /// What the client was made with.
  public let configuration: NATSClientConfiguration
  /// Connection changes, as they happen (the newest 256 are kept for a slow reader).
  public let connectionEvents: AsyncStream<NATSConnectionEvent>

  private let group: any EventLoopGroup
  private let eventsContinuation: AsyncStream<NATSConnectionEvent>.Continuation
  private let state: NIOLockedValueBox<State>

  /// A subscription's record: enough to send `SUB` again after a reconnect, and where its messages
  /// go.
  ///
  /// `deliver` returns false when it dropped the message.
  private struct Subscriber: Sendable {
    var subject: String
    var queueGroup: String?
    var deliver: @Sendable (NATSMessage) -> Bool
    var stream: NATSSubscription?
  }

  private enum Phase {
    case idle
    /// Between connections (the loop is trying servers).
    case connecting
    case handshaking(any Channel)
    case connected(any Channel, NATSServerAddress)
    case closed
  }

  private struct State {
    var phase = Phase.idle
    var info: NATSServerInfo?
    /// The configured servers, then those learnt from `connect_urls`.
    var servers: [NATSServerAddress]
    /// Commands not yet handed to the channel.
    var pending = ByteBufferAllocator().buffer(capacity: 0)
    /// How many PINGs `pending` holds (their PONG waiters are already queued).
    var pingsInPending = 0
    var writeScheduled = false
    var subscribers: [UInt64: Subscriber] = [:]
    var nextSID: UInt64 = 1
    /// One entry per PING written whose PONG has not come, oldest first; nil for keepalives.
    var pongWaiters: [EventLoopPromise<Void>?] = []
    var outstandingPings = 0
    var keepalive: RepeatedTask?
    var loop: Task<Void, Never>?
    var everConnected = false
    var statistics = NATSClientStatistics()
    var socketWrites = 0
  }

  /// A client that has not connected yet; call ``connect()``.
  public init(
    configuration: NATSClientConfiguration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.configuration = configuration
    self.group = eventLoopGroup
    self.state = NIOLockedValueBox(State(servers: configuration.servers))
    (connectionEvents, eventsContinuation) = AsyncStream.makeStream(
      of: NATSConnectionEvent.self, bufferingPolicy: .bufferingNewest(256))
  }

  // MARK: - Public API

  /// Connects to the first server of the list that accepts, trying the list
  /// ``NATSClientConfiguration/initialConnectRounds`` times with backoff, and keeps the
  /// connection (reconnecting as needed) until ``close()``.
  public func connect() async throws(NATSClientError) {
    let group = self.group
    let first = group.any().makePromise(of: Void.self)
    let started: Bool = state.withLockedValue { state in
      guard case .idle = state.phase else { return false }
      state.phase = .connecting
      state.loop = Task { await self.connectionLoop(first: first) }
      return true
    }
    guard started else {
      first.fail(NATSClientError.closed)
      throw isClosed ? .closed : .serverError("connect() called twice")
    }
    do {
      try await first.futureResult.get()
    } catch let error as NATSClientError {
      throw error
    } catch {
      throw .connectionLost
    }
  }

  /// Publishes `payload` on `subject`, with optional headers and reply subject.
  ///
  /// Returns once the message is queued for the next batch write, not when the server has it (see
  /// ``flush()``).
  ///
  /// - Throws: ``NATSClientError/invalidSubject(_:reason:)``,
  ///   ``NATSClientError/payloadTooLarge(size:maxPayload:)`` (against the server's
  ///   `max_payload`), ``NATSClientError/pendingBufferFull(limit:)``,
  ///   ``NATSClientError/closed``.
  public func publish(
    _ payload: ByteBuffer, to subject: String, replyTo: String? = nil,
    headers: NATSHeaders? = nil
  ) throws(NATSClientError) {
    if let reason = NATSSubject.problem(in: subject, for: .publish) {
      throw .invalidSubject(subject, reason: reason)
    }
    if let replyTo, let reason = NATSSubject.problem(in: replyTo, for: .publish) {
      throw .invalidSubject(replyTo, reason: reason)
    }
    var headerBytes: [UInt8]? = nil
    if let headers {
      for field in headers.fields {
        if let reason = NATSHeaders.problem(name: field.name, value: field.value) {
          throw .invalidHeader(reason)
        }
      }
      headerBytes = headers.encoded
    }
    let size = payload.readableBytes + (headerBytes?.count ?? 0)
    let outcome: Result<(any Channel)?, NATSClientError> = state.withLockedValue { state in
      if case .closed = state.phase { return .failure(.closed) }
      let maxPayload = state.info?.maxPayload ?? 1 << 20
      if size > maxPayload { return .failure(.payloadTooLarge(size: size, maxPayload: maxPayload)) }
      if headerBytes != nil, state.info?.headers == false {
        return .failure(.invalidHeader("the server does not support headers"))
      }
      if state.pending.readableBytes + size + subject.utf8.count + 32
        > configuration.pendingBufferLimit
      {
        state.statistics.publishesDropped += 1
        return .failure(.pendingBufferFull(limit: configuration.pendingBufferLimit))
      }
      state.pending.writeNATSPublish(
        subject: subject, replyTo: replyTo, headers: headerBytes, payload: payload)
      state.statistics.messagesPublished += 1
      state.statistics.bytesPublished += size
      return .success(Self.scheduleWrite(&state))
    }
    if let channel = try outcome.get() { channel.eventLoop.execute { self.writePending() } }
  }

  /// Publishes `bytes` on `subject`.
  public func publish(
    _ bytes: some Collection<UInt8>, to subject: String, headers: NATSHeaders? = nil
  )
    throws(NATSClientError)
  {
    var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
    buffer.writeBytes(bytes)
    try publish(buffer, to: subject, headers: headers)
  }

  /// Subscribes to `subject` (wildcards allowed); the messages are read from the returned sequence.
  ///
  /// With a queue group, each message goes to one member of the group.
  public func subscribe(to subject: String, queueGroup: String? = nil)
    throws(NATSClientError) -> NATSSubscription
  {
    var made: NATSSubscription? = nil
    _ = try addSubscriber(subject: subject, queueGroup: queueGroup) { sid in
      let subscription = NATSSubscription(
        sid: sid, subject: subject, queueGroup: queueGroup,
        bufferLimit: configuration.subscriptionBufferLimit, client: self)
      made = subscription
      return Subscriber(
        subject: subject, queueGroup: queueGroup, deliver: { subscription.offer($0) },
        stream: subscription)
    }
    return made!
  }

  /// Subscribes to `subject`, calling `handler` on the connection's event loop for every message,
  /// in the order they arrive (across all handler subscriptions of this client).
  ///
  /// The handler must not block. Returns the id for ``unsubscribe(_:)``.
  public func subscribe(
    to subject: String, queueGroup: String? = nil,
    handler: @escaping @Sendable (NATSMessage) -> Void
  ) throws(NATSClientError) -> UInt64 {
    try addSubscriber(subject: subject, queueGroup: queueGroup) { _ in
      Subscriber(
        subject: subject, queueGroup: queueGroup,
        deliver: { message in
          handler(message)
          return true
        }, stream: nil)
    }
  }

  /// Ends the subscription `sid`; messages for it that are still in flight are discarded.
  public func unsubscribe(_ sid: UInt64) {
    let (channel, removed): ((any Channel)?, Subscriber?) = state.withLockedValue { state in
      guard let removed = state.subscribers.removeValue(forKey: sid) else { return (nil, nil) }
      switch state.phase {
      case .handshaking, .connected:
        state.pending.writeNATSUnsubscribe(sid: sid)
        return (Self.scheduleWrite(&state), removed)
      default:
        return (nil, removed)  // not on any server now; the next handshake omits it
      }
    }
    removed?.stream?.continuation.finish()
    if let channel { channel.eventLoop.execute { self.writePending() } }
  }

  /// Waits until the server has processed everything sent before (a PING answered by PONG).
  public func flush() async throws(NATSClientError) {
    let outcome: Result<EventLoopPromise<Void>, NATSClientError> = state.withLockedValue { state in
      let channel: any Channel
      switch state.phase {
      case .connected(let c, _): channel = c
      case .closed: return .failure(.closed)
      default: return .failure(.connectionLost)
      }
      let promise = channel.eventLoop.makePromise(of: Void.self)
      Self.queuePing(&state, waiter: promise)
      if let channel = Self.scheduleWrite(&state) {
        channel.eventLoop.execute { self.writePending() }
      }
      return .success(promise)
    }
    let promise = try outcome.get()
    do {
      try await promise.futureResult.get()
    } catch let error as NATSClientError {
      throw error
    } catch {
      throw .connectionLost
    }
  }

  /// Closes the connection and stops reconnecting; subscription sequences end.
  public func close() async {
    await shutdown(fromLoop: false)
  }

  /// Closes everything; the connection loop itself calls it (when it gives up) without waiting
  /// for itself to end.
  private func shutdown(fromLoop: Bool) async {
    let (channel, loop, subscribers, waiters):
      (
        (any Channel)?, Task<Void, Never>?, [Subscriber], [EventLoopPromise<Void>?]
      ) = state.withLockedValue { state in
        var channel: (any Channel)? = nil
        switch state.phase {
        case .closed: return (nil, nil, [], [])
        case .handshaking(let c), .connected(let c, _): channel = c
        default: break
        }
        state.phase = .closed
        state.keepalive?.cancel()
        state.keepalive = nil
        let waiters = state.pongWaiters
        state.pongWaiters = []
        let subscribers = Array(state.subscribers.values)
        state.subscribers = [:]
        let loop = state.loop
        state.loop = nil
        return (channel, loop, subscribers, waiters)
      }
    for waiter in waiters { waiter?.fail(NATSClientError.closed) }
    if !fromLoop { loop?.cancel() }
    if let channel { try? await channel.close() }
    if !fromLoop { await loop?.value }
    for subscriber in subscribers { subscriber.stream?.continuation.finish() }
    eventsContinuation.yield(.closed)
    eventsContinuation.finish()
  }

  /// Counters since the client was created.
  public var statistics: NATSClientStatistics { state.withLockedValue { $0.statistics } }

  /// The server's most recent `INFO`, nil before the first connection.
  public var serverInfo: NATSServerInfo? { state.withLockedValue { $0.info } }

  /// The server connected to now, nil while disconnected.
  public var connectedServer: NATSServerAddress? {
    state.withLockedValue { state in
      if case .connected(_, let server) = state.phase { return server }
      return nil
    }
  }

  /// The servers that reconnects try: the configured ones, then those the cluster advertised.
  public var knownServers: [NATSServerAddress] { state.withLockedValue { $0.servers } }

  /// Socket writes made so far (each carries a batch of commands); for tests of batching.
  package var socketWriteCount: Int { state.withLockedValue { $0.socketWrites } }

  // MARK: - Connection loop

  private var isClosed: Bool {
    state.withLockedValue { state in
      if case .closed = state.phase { return true }
      return false
    }
  }

  /// Tries servers until one completes the handshake, holds the connection until it is lost,
  /// and starts again with the server after it; waits with backoff after a round of failures.
  private func connectionLoop(first: EventLoopPromise<Void>) async {
    var round = 0
    var next = 0
    var tried: [String] = []
    while !isClosed && !Task.isCancelled {
      let servers = knownServers
      var lost = false
      for k in 0..<servers.count where !isClosed {
        let index = (next + k) % servers.count
        let server = servers[index]
        do {
          let channel = try await establish(server)
          round = 0
          tried = []
          next = index + 1  // after a loss, try the other servers first
          first.succeed()
          try? await channel.closeFuture.get()
          lost = true
          break
        } catch {
          if !tried.contains("\(server)") { tried.append("\(server)") }
        }
      }
      if lost || isClosed { continue }
      round += 1
      let everConnected = state.withLockedValue { $0.everConnected }
      let limit =
        everConnected ? configuration.maxReconnectRounds : configuration.initialConnectRounds
      if let limit, round >= limit {
        first.fail(NATSClientError.noServerAvailable(tried))
        await shutdown(fromLoop: true)
        return
      }
      let base = configuration.backoff(afterRound: round).nanoseconds
      let jitter = Double.random(in: 0...max(0, min(configuration.backoffJitter, 1)))
      let wait = Int64(Double(base) * (1 - jitter))
      try? await Task.sleep(nanoseconds: UInt64(max(wait, 0)))
    }
    first.fail(NATSClientError.closed)
  }

  /// One connection attempt: TCP, then the handshake the channel handler runs.
  private func establish(_ server: NATSServerAddress) async throws -> any Channel {
    let eventLoop = group.next()
    let handshake = eventLoop.makePromise(of: Void.self)
    let limits = configuration.parserLimits
    let bootstrap = ClientBootstrap(group: eventLoop)
      .connectTimeout(configuration.connectTimeout)
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(
            NATSChannelHandler(client: self, server: server, handshake: handshake, limits: limits))
        }
      }
    let channel: any Channel
    do {
      channel = try await bootstrap.connect(host: server.host, port: server.port).get()
    } catch {
      handshake.fail(error)
      throw error
    }
    let timeout = eventLoop.scheduleTask(in: configuration.connectTimeout) {
      handshake.fail(NATSClientError.connectionLost)
      channel.close(promise: nil)
    }
    defer { timeout.cancel() }
    do {
      try await handshake.futureResult.get()
      return channel
    } catch {
      try? await channel.close()
      throw error
    }
  }

  // MARK: - Called by the channel handler (on the channel's event loop)

  /// The first INFO arrived: records it and returns CONNECT, a SUB per subscription and the
  /// PING whose PONG completes the handshake; nil (and the channel closed) when the client was
  /// closed meanwhile.
  func beginHandshake(info: NATSServerInfo, server: NATSServerAddress, channel: any Channel)
    -> ByteBuffer?
  {
    let options = NATSConnectOptions(
      name: configuration.name, user: server.user ?? configuration.user,
      password: server.password ?? configuration.password,
      token: server.user != nil && server.password == nil ? server.user : configuration.token,
      headers: info.headers, echo: configuration.echo)
    let opening: ByteBuffer? = state.withLockedValue { state in
      Self.learn(info, into: &state)
      if case .closed = state.phase { return nil }
      state.phase = .handshaking(channel)
      var out = channel.allocator.buffer(capacity: 512)
      out.writeNATSConnect(options)
      for (sid, subscriber) in state.subscribers.sorted(by: { $0.key < $1.key }) {
        out.writeNATSSubscribe(
          subject: subscriber.subject, queueGroup: subscriber.queueGroup, sid: sid)
      }
      out.writeStaticString("PING\r\n")
      return out
    }
    // Closing runs channelInactive at once, which takes the lock: never close while holding it.
    if opening == nil { channel.close(promise: nil) }
    return opening
  }

  /// The handshake's PONG arrived: the connection is in use; pending commands go out.
  func completeHandshake(channel: any Channel, server address: NATSServerAddress) {
    let server: NATSServerAddress? = state.withLockedValue { state in
      guard case .handshaking(let current) = state.phase, current === channel else { return nil }
      state.phase = .connected(channel, address)
      if state.everConnected { state.statistics.reconnects += 1 }
      state.everConnected = true
      state.outstandingPings = 0
      let interval = configuration.pingInterval
      state.keepalive = channel.eventLoop.scheduleRepeatedTask(
        initialDelay: interval, delay: interval
      ) { [weak channel] _ in
        if let channel { self.sendKeepalive(channel: channel) }
      }
      return address
    }
    writePending()
    if let server {
      let id = state.withLockedValue { $0.info?.serverID ?? "" }
      eventsContinuation.yield(.connected(server, serverID: id))
    }
  }

  /// A later INFO (the cluster changed): new `connect_urls` and `max_payload`.
  func updateInfo(_ info: NATSServerInfo) {
    state.withLockedValue { Self.learn(info, into: &$0) }
  }

  private static func learn(_ info: NATSServerInfo, into state: inout State) {
    state.info = info
    for url in info.connectURLs {
      guard let address = NATSServerAddress(url),
        !state.servers.contains(where: { $0.host == address.host && $0.port == address.port })
      else { continue }
      state.servers.append(address)
    }
  }

  func deliver(_ message: NATSMessage) {
    let subscriber: Subscriber? = state.withLockedValue { state in
      state.statistics.messagesReceived += 1
      state.statistics.bytesReceived += message.payload.readableBytes
      return state.subscribers[message.sid]
    }
    guard let subscriber else { return }  // unsubscribed while the message was in flight
    if !subscriber.deliver(message) {
      state.withLockedValue { $0.statistics.messagesDropped += 1 }
    }
  }

  func pongReceived() {
    let waiter: EventLoopPromise<Void>?? = state.withLockedValue { state in
      state.outstandingPings = 0
      return state.pongWaiters.isEmpty ? nil : state.pongWaiters.removeFirst()
    }
    if case .some(.some(let promise)) = waiter { promise.succeed() }
  }

  func serverError(_ text: String) {
    state.withLockedValue { $0.statistics.serverErrors += 1 }
  }

  func protocolError(_ error: NATSProtocolError) {
    state.withLockedValue { $0.statistics.protocolErrors += 1 }
  }

  /// A channel closed.
  ///
  /// When it was the connection in use, the client is disconnected: PONG waiters fail, and the loop
  /// goes on to the next server.
  func connectionLost(channel: any Channel, wasReady: Bool) {
    let waiters: [EventLoopPromise<Void>?]? = state.withLockedValue { state in
      let current: (any Channel)?
      switch state.phase {
      case .handshaking(let c), .connected(let c, _): current = c
      default: current = nil
      }
      guard let current, current === channel else { return nil }
      state.phase = .connecting
      state.keepalive?.cancel()
      state.keepalive = nil
      state.outstandingPings = 0
      let waiters = state.pongWaiters
      // PINGs still in `pending` will be written on the next connection; their PONGs must not
      // be taken for the PONGs of later flushes, so they keep (empty) places in the queue.
      state.pongWaiters = Array(repeating: nil, count: state.pingsInPending)
      if wasReady { state.statistics.disconnects += 1 }
      return waiters
    }
    guard let waiters else { return }
    for waiter in waiters { waiter?.fail(NATSClientError.connectionLost) }
    if wasReady { eventsContinuation.yield(.disconnected(reason: "connection closed")) }
  }

  /// Hands the pending commands to the channel in one write, when connected and writable.
  func writePending() {
    let work: (any Channel, ByteBuffer)? = state.withLockedValue { state in
      state.writeScheduled = false
      guard case .connected(let channel, _) = state.phase, channel.isWritable,
        state.pending.readableBytes > 0
      else { return nil }
      let batch = state.pending
      state.pending = channel.allocator.buffer(capacity: min(batch.readableBytes, 1 << 16))
      state.pingsInPending = 0
      state.socketWrites += 1
      return (channel, batch)
    }
    if let (channel, batch) = work { channel.writeAndFlush(batch, promise: nil) }
  }

  // MARK: - Helpers

  /// Marks a write as scheduled; returns the channel to schedule it on when one is needed.
  private static func scheduleWrite(_ state: inout State) -> (any Channel)? {
    guard case .connected(let channel, _) = state.phase, !state.writeScheduled else { return nil }
    state.writeScheduled = true
    return channel
  }

  private static func queuePing(_ state: inout State, waiter: EventLoopPromise<Void>?) {
    state.pending.writeStaticString("PING\r\n")
    state.pingsInPending += 1
    state.pongWaiters.append(waiter)
  }

  private func sendKeepalive(channel: any Channel) {
    let stale: Bool = state.withLockedValue { state in
      guard case .connected(let current, _) = state.phase, current === channel else { return false }
      if state.outstandingPings >= configuration.maxOutstandingPings { return true }
      state.outstandingPings += 1
      Self.queuePing(&state, waiter: nil)
      return false
    }
    if stale {
      channel.close(promise: nil)
    } else {
      writePending()
    }
  }

  private func addSubscriber(
    subject: String, queueGroup: String?, make: (UInt64) -> Subscriber
  ) throws(NATSClientError) -> UInt64 {
    if let reason = NATSSubject.problem(in: subject, for: .subscribe) {
      throw .invalidSubject(subject, reason: reason)
    }
    if let queueGroup, queueGroup.isEmpty || queueGroup.utf8.contains(where: { $0 <= 0x20 }) {
      throw .invalidSubject(queueGroup, reason: "a queue group is one word without whitespace")
    }
    let outcome: Result<(UInt64, (any Channel)?), NATSClientError> = state.withLockedValue {
      state in
      if case .closed = state.phase { return .failure(.closed) }
      let sid = state.nextSID
      state.nextSID += 1
      state.subscribers[sid] = make(sid)
      switch state.phase {
      case .handshaking, .connected:
        state.pending.writeNATSSubscribe(subject: subject, queueGroup: queueGroup, sid: sid)
        return .success((sid, Self.scheduleWrite(&state)))
      default:
        return .success((sid, nil))  // sent by the next handshake
      }
    }
    let (sid, channel) = try outcome.get()
    if let channel { channel.eventLoop.execute { self.writePending() } }
    return sid
  }
}
