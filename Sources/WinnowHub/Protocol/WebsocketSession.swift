import NIOCore
import Winnow

/// One DRP websocket client's protocol state: turns its command frames into registry changes
/// on the hub and queues exactly one acknowledgement per frame (SPEC section 9).
///
/// No sockets: the server feeds it frames and drains ``connection``'s queue; tests do the same.
public struct WebsocketSession: Sendable {
  /// The hub the session registers with.
  public let hub: EventHub
  /// The connection whose queue receives the acknowledgements and events.
  public let connection: HubConnection

  /// A session for `connection`, opened on `hub` with ``EventHub/connect(credential:remoteAddress:frontEnd:)``.
  public init(hub: EventHub, connection: HubConnection) {
    self.hub = hub
    self.connection = connection
  }

  /// Handles one text frame: a command, acknowledged on the connection's queue in order with its
  /// events.
  ///
  /// Returns the acknowledgement.
  @discardableResult
  public func handle(frame: some Collection<UInt8>) -> Acknowledgement {
    let command = Command(frame: frame)
    guard command.isValidUTF8 else {
      return acknowledge(command, .failed(.invalidEncoding(command.word)))
    }
    guard let verb = command.verb else {
      return acknowledge(command, .failed(.unknownCommand(command.word)))
    }
    var acknowledgement: Acknowledgement?
    let reply = {
      (result: Result<EventHub.Registration, EventHub.RegistrationError>) -> Outbound? in
      let ack = self.acknowledgement(command, verb, result)
      acknowledgement = ack
      return .message(ByteBuffer(string: ack.json))
    }
    let key = connection.key()
    switch verb {
    case .register: hub.register(command.argument, for: key, reply: reply)
    case .deregister: hub.deregister(command.argument, for: key, reply: reply)
    }
    countCommand(acknowledgement!)
    return acknowledgement!
  }

  /// Answers a frame over the size limit without reading it as a command.
  @discardableResult
  public func refuseOversizedFrame(size: Int, limit: Int) -> Acknowledgement {
    hub.metrics.countBadFrame(.tooLarge)
    let ack = Acknowledgement(
      time: .now(), key: "", principal: connection.principal,
      outcome: .failed(
        CommandFailure(
          command: "", code: Diagnostic.Code.limitExceeded.rawValue,
          message: "a frame of \(size) bytes is over the limit of \(limit) bytes", column: nil)))
    hub.send(.message(ByteBuffer(string: ack.json)), to: connection)
    hub.metrics.commandErrors.increment()
    return ack
  }

  private func acknowledge(_ command: Command, _ outcome: Acknowledgement.Outcome)
    -> Acknowledgement
  {
    let ack = Acknowledgement(
      time: .now(), key: command.argument, principal: connection.principal, outcome: outcome)
    hub.send(.message(ByteBuffer(string: ack.json)), to: connection)
    countCommand(ack)
    return ack
  }

  private func acknowledgement(
    _ command: Command, _ verb: Command.Verb,
    _ result: Result<EventHub.Registration, EventHub.RegistrationError>
  ) -> Acknowledgement {
    let outcome: Acknowledgement.Outcome
    switch result {
    case .success(let registration):
      outcome =
        verb == .register
        ? .registered(specifier: registration.specifier, references: registration.references)
        : .deregistered(specifier: registration.specifier, references: registration.references)
    case .failure(.invalidSpecifier(let diagnostic)):
      outcome = .failed(.invalidSpecifier(command.word, diagnostic, in: command.argument))
    case .failure(.notRegistered(let canonical)):
      outcome = .failed(.notRegistered(command.word, specifier: canonical))
    case .failure(.closed):
      outcome = .failed(
        CommandFailure(
          command: command.word, code: "closed", message: "the connection is closed", column: nil))
    }
    return Acknowledgement(
      time: .now(), key: command.argument, principal: connection.principal, outcome: outcome)
  }

  private func countCommand(_ ack: Acknowledgement) {
    if case .failed = ack.outcome {
      hub.metrics.commandErrors.increment()
    } else {
      hub.metrics.commands.increment()
    }
  }
}
