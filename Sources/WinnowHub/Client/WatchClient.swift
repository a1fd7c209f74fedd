import Logging
import NIOCore
import NIOSSL
import Synchronization
import WSClient
import Winnow

/// The DRP websocket client behind `winnow watch` and the hub's `--upstream` source (SPEC
/// section 9).
///
/// Each connection reads `/api/v3/info`, opens `/api/v3/ws`, sends one `register` frame per
/// distinct specifier (or `type.action.key` part when the server does not filter, see
/// ``WatchPlan``), counts one acknowledgement per frame (``AckCounter``) and hands every other
/// event the watch asked for to `deliver`, once, byte for byte. A dropped connection is made
/// again after a ``ReconnectBackoff`` delay and registers again; a refused token (401, 403)
/// or an error acknowledgement ends the watch with a ``WatchError``.
public struct WatchClient: Sendable {
  /// The options the client was made with.
  public let options: WatchOptions
  private let tlsConfiguration: TLSConfiguration?
  private let sslContext: NIOSSLContext?

  /// A client for `options`; throws when TLS cannot be set up.
  public init(_ options: WatchOptions) throws(WatchError) {
    self.options = options
    if let token = options.effectiveToken,
      token.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    {
      throw .invalidOptions("the token holds a control character")
    }
    guard options.endpoint.usesTLS else {
      tlsConfiguration = nil
      sslContext = nil
      return
    }
    if options.endpoint.hostIsAddress && !options.insecure {
      throw .invalidOptions(
        "\(options.endpoint.websocketURL): TLS to an address cannot check the certificate's "
          + "host name; give the host name, or --insecure")
    }
    var tls = TLSConfiguration.makeClientConfiguration()
    if options.insecure { tls.certificateVerification = .none }
    do {
      sslContext = try NIOSSLContext(configuration: tls)
    } catch {
      throw .invalidOptions("TLS: \(error)")
    }
    tlsConfiguration = tls
  }

  /// Watches until `deliver` answers ``WatchDecision/stop`` (returns), the task is cancelled
  /// (returns), or an error that reconnecting cannot cure (throws).
  public func run(
    notice: @escaping @Sendable (WatchNotice) -> Void = { _ in },
    deliver: @escaping @Sendable (WatchedEvent) async -> WatchDecision
  ) async throws(WatchError) {
    var failures = 0
    while !Task.isCancelled {
      let outcome = await attempt(notice: notice, deliver: deliver)
      if Task.isCancelled { return }
      switch outcome {
      case .stopped:
        return
      case .failed(let error):
        throw error
      case .dropped(let reason, let registered):
        if registered { failures = 0 }
        notice(.disconnected(reason: reason))
        if let limit = options.maxAttempts, failures + 1 >= limit {
          throw .gaveUp(attempts: failures + 1, lastReason: reason)
        }
        let delay = options.backoff.delay(attempt: failures)
        notice(.retrying(after: delay, attempt: failures))
        failures += 1
        do {
          try await Task.sleep(for: delay)
        } catch {
          return
        }
      }
    }
  }

  // MARK: - One connection

  /// How one connection ended.
  enum Outcome: Sendable {
    /// `deliver` asked to stop.
    case stopped
    /// A fatal error.
    case failed(WatchError)
    /// The connection failed or was lost; `registered` tells whether it had got going.
    case dropped(reason: String, registered: Bool)
  }

  /// Connects once and watches until the connection ends.
  private func attempt(
    notice: @escaping @Sendable (WatchNotice) -> Void,
    deliver: @escaping @Sendable (WatchedEvent) async -> WatchDecision
  ) async -> Outcome {
    let endpoint = options.endpoint
    let http = HTTPGetRequest(
      endpoint: endpoint, headers: authorizationHeaders, sslContext: sslContext,
      timeout: options.requestTimeout)

    var serverFilters = false
    do {
      let response = try await http.get(endpoint.infoPath)
      switch response.status {
      case 200..<300:
        do {
          serverFilters = try ServerInfo(parsingJSON: response.body).filtersRegistrations
        } catch {
          notice(
            .infoUnavailable(
              url: endpoint.infoURL, reason: "not an info document (\(error.message))"))
        }
      case 401, 403:
        return .failed(.unauthorized(status: response.status, url: endpoint.infoURL))
      default:
        notice(.infoUnavailable(url: endpoint.infoURL, reason: "HTTP \(response.status)"))
      }
    } catch .tls(let message) {
      // A certificate that cannot be verified does not become valid by retrying.
      return .failed(
        .tls(
          "\(endpoint.infoURL): TLS handshake failed: \(message)\(options.insecure ? "" : " (--insecure skips verification)")"
        ))
    } catch {
      return .dropped(reason: "\(endpoint.infoURL): \(error)", registered: false)
    }

    let plan = WatchPlan(specifiers: options.specifiers, serverFilters: serverFilters)
    let connected = WatchNotice.connected(
      url: endpoint.websocketURL, serverFilters: serverFilters, commands: plan.commands.count)
    let state = ConnectionState()
    let maxMessageSize = options.maxMessageSize
    let client = WebSocketClient(
      url: endpoint.websocketURL, configuration: websocketConfiguration,
      tlsConfiguration: tlsConfiguration, logger: Self.silentLogger
    ) { inbound, outbound, _ in
      state.markOpened()
      notice(connected)
      try await Self.converse(
        plan: plan, inbound: inbound, outbound: outbound, state: state,
        maxMessageSize: maxMessageSize, notice: notice, deliver: deliver)
    }

    let closeFrame: WebSocketCloseFrame?
    do {
      closeFrame = try await client.run()
    } catch {
      if let outcome = state.outcome { return outcome }
      if state.opened {
        return .dropped(
          reason: "\(endpoint.websocketURL): \(HTTPGetRequest.describe(error))",
          registered: state.registered)
      }
      // The upgrade failed, and the client library does not say why (the status of a refusal
      // is not passed on): ask the endpoint without an upgrade.
      if let response = try? await http.get(endpoint.websocketPath) {
        if response.status == 401 || response.status == 403 {
          return .failed(.unauthorized(status: response.status, url: endpoint.websocketURL))
        }
        if !(200..<300).contains(response.status) {
          return .dropped(
            reason: "\(endpoint.websocketURL): upgrade refused (HTTP \(response.status))",
            registered: false)
        }
      }
      return .dropped(
        reason: "\(endpoint.websocketURL): \(HTTPGetRequest.describe(error))", registered: false)
    }
    if let outcome = state.outcome { return outcome }
    var reason = "\(endpoint.websocketURL): connection closed"
    if let closeFrame {
      reason += " by the server (code \(UInt16(webSocketErrorCode: closeFrame.closeCode))"
      if let text = closeFrame.reason, !text.isEmpty { reason += ", '\(text)'" }
      reason += ")"
    }
    return .dropped(reason: reason, registered: state.registered)
  }

  /// Sends the plan's commands, then reads messages until the connection ends or the watch is over.
  ///
  /// Records how it ended in `state`.
  static func converse(
    plan: WatchPlan, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
    state: ConnectionState, maxMessageSize: Int,
    notice: @Sendable (WatchNotice) -> Void,
    deliver: @Sendable (WatchedEvent) async -> WatchDecision
  ) async throws {
    var acks = AckCounter()
    for command in plan.commands {
      try await outbound.write(.text(command))
      acks.sent()
    }

    var message: ByteBuffer?
    var isBinary = false
    var iterator = inbound.makeAsyncIterator()
    while let frame = try await iterator.next() {
      switch frame.opcode {
      case .text, .binary:
        message = frame.data
        isBinary = frame.opcode == .binary
      case .continuation:
        guard message != nil else {
          state.finish(
            .dropped(
              reason: "the server sent a stray continuation frame", registered: state.registered))
          try await outbound.close(.protocolError, reason: nil)
          return
        }
        var data = frame.data
        message!.writeBuffer(&data)
      }
      guard message!.readableBytes <= maxMessageSize else {
        state.finish(
          .dropped(
            reason: "the server sent a message over \(maxMessageSize) bytes",
            registered: state.registered))
        try await outbound.close(.messageTooLarge, reason: nil)
        return
      }
      guard frame.fin else { continue }
      var bytes = Array(message!.readableBytesView)
      message = nil
      if isBinary {
        notice(.skippedMessage(reason: "a binary frame (\(bytes.count) bytes)"))
        continue
      }
      if bytes.last == 0x0A {
        bytes.removeLast()
        if bytes.last == 0x0D { bytes.removeLast() }
      }

      let event: Event
      do {
        event = try Event(parsing: bytes)
      } catch {
        notice(.skippedMessage(reason: "not an event: \(error.message) (byte \(error.offset))"))
        continue
      }
      switch acks.classify(event) {
      case .ack(let ack):
        if ack.isError {
          state.finish(.failed(.commandFailed(ack)))
          try await outbound.close(.normalClosure, reason: nil)
          return
        }
        if acks.isSettled {
          state.markRegistered()
          notice(.registered(commands: plan.commands.count))
        }
      case .event:
        guard plan.accepts(event) else { continue }
        state.markRegistered()
        if await deliver(WatchedEvent(bytes: bytes, event: event)) == .stop {
          state.finish(.stopped)
          try await outbound.close(.normalClosure, reason: nil)
          return
        }
      }
    }
  }

  // MARK: - Configuration

  /// `Authorization: Bearer TOKEN`, as DRP's Go client sends it.
  private var authorizationHeaders: [(String, String)] {
    options.effectiveToken.map { [("Authorization", "Bearer " + $0)] } ?? []
  }

  private var websocketConfiguration: WebSocketClientConfiguration {
    var configuration = WebSocketClientConfiguration(
      maxFrameSize: options.maxMessageSize,
      closeTimeout: .seconds(2),
      autoPing: options.pingInterval.map { .enabled(timePeriod: $0) } ?? .disabled,
      validateUTF8: false,
      // NIOSSL refuses an address as SNI; with verification off the name is not checked.
      sniHostname: options.endpoint.usesTLS && options.endpoint.hostIsAddress ? "localhost" : nil
    )
    if let token = options.effectiveToken {
      configuration.additionalHeaders = [.authorization: "Bearer " + token]
    }
    return configuration
  }

  /// The client library's logs are not ours to print (standard output carries the events).
  static let silentLogger = Logger(label: "winnow.watch") { _ in SwiftLogNoOpLogHandler() }
}

/// How a connection is going, shared between its reading task and the attempt that waits for it.
final class ConnectionState: Sendable {
  private struct Fields {
    var outcome: WatchClient.Outcome?
    var registered = false
    var opened = false
  }

  private let fields = Mutex(Fields())

  /// How the connection ended, when the client ended it.
  var outcome: WatchClient.Outcome? { fields.withLock { $0.outcome } }
  /// Whether every command was acknowledged, or an event was delivered.
  var registered: Bool { fields.withLock { $0.registered } }

  func finish(_ outcome: WatchClient.Outcome) {
    fields.withLock { if $0.outcome == nil { $0.outcome = outcome } }
  }

  /// Whether the websocket was opened (the upgrade succeeded).
  var opened: Bool { fields.withLock { $0.opened } }

  func markOpened() {
    fields.withLock { $0.opened = true }
  }

  func markRegistered() {
    fields.withLock { $0.registered = true }
  }
}
