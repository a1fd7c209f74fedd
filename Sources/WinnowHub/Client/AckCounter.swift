import Winnow

/// Tells the acknowledgements of a connection's commands from the events it is sent, as DRP's
/// Go client does: every `register` or `deregister` frame is answered by one event of type
/// `websocket`, so while answers are outstanding the next `websocket` event is one of them.
///
/// A `websocket` event that arrives when no answer is outstanding is an ordinary event.
public struct AckCounter: Sendable, Equatable {
  /// The commands sent whose answer has not arrived yet.
  public private(set) var outstanding = 0

  /// A counter with nothing outstanding.
  public init() {}

  /// What an incoming event is to the connection.
  public enum Classification: Sendable, Equatable {
    /// An answer to a command.
    case ack(ReceivedAcknowledgement)
    /// An event to deliver.
    case event
  }

  /// Notes that `count` more commands were sent.
  public mutating func sent(_ count: Int = 1) {
    outstanding += count
  }

  /// Whether every command sent has been answered.
  public var isSettled: Bool { outstanding == 0 }

  /// Classifies `event`, counting it off when it is an answer.
  public mutating func classify(_ event: Event) -> Classification {
    guard outstanding > 0, event.type == ReceivedAcknowledgement.eventType else { return .event }
    outstanding -= 1
    return .ack(ReceivedAcknowledgement(event))
  }
}

/// The answer to one command as a client reads it (the hub writes ``Acknowledgement``): `{"Type":"websocket","Action":A,"Key":specifier,"Object":O}`
/// (SPEC section 9, acknowledgement).
public struct ReceivedAcknowledgement: Sendable, Equatable {
  /// The event type of every answer.
  public static let eventType = "websocket"

  /// `register`, `deregister`, or `error`.
  public let action: String
  /// The specifier as the server received it.
  public let key: String
  /// For an error: the command word, if the server named it.
  public let command: String?
  /// For an error: its stable code (`notRegistered`, `unknownCommand`, a diagnostic code).
  public let code: String?
  /// For an error: the server's message.
  public let message: String?
  /// For an error: the 1-based column in the specifier, if known.
  public let column: Int?

  /// Whether the command failed.
  public var isError: Bool { action == "error" }

  /// Reads an answer's fields; missing ones are nil.
  public init(_ event: Event) {
    action = event.action
    key = event.key
    let object = event.document.value["Object"]
    command = object?["Command"]?.stringValue
    code = object?["Code"]?.stringValue
    message = object?["Message"]?.stringValue
    column = object?["Column"]?.integerValue
  }

  /// An answer with the given fields.
  public init(
    action: String, key: String, command: String? = nil, code: String? = nil,
    message: String? = nil, column: Int? = nil
  ) {
    self.action = action
    self.key = key
    self.command = command
    self.code = code
    self.message = message
    self.column = column
  }

  /// `register 'a.b.c.X=Bad()': unknownTest at column 9: message`, for standard error.
  public var errorDescription: String {
    var text = "\(command ?? "command") '\(key)' failed"
    if let code { text += ": \(code)" }
    if let column { text += " at column \(column)" }
    if let message { text += ": \(message)" }
    return text
  }
}

extension JSONValue {
  fileprivate var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  fileprivate var integerValue: Int? {
    if case .number(let number) = self, let exact = Int(exactly: number.value) { return exact }
    return nil
  }
}
