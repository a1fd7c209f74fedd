import Winnow

/// The event answering one command frame (SPEC section 9): `Type` `websocket`, `Action`
/// `register`, `deregister` or `error`, `Key` the specifier text as received, `Principal` the
/// connection's principal, and an `Object` saying what happened.
public struct Acknowledgement: Sendable, Equatable {
  /// What the command did.
  public enum Outcome: Sendable, Equatable {
    /// `register` added a reference: the canonical specifier and its count afterwards.
    case registered(specifier: String, references: Int)
    /// `deregister` removed a reference: the canonical specifier and its count afterwards.
    case deregistered(specifier: String, references: Int)
    /// The command was refused and nothing changed.
    case failed(CommandFailure)
  }

  /// When the command was handled.
  public let time: Timestamp
  /// The specifier text as received.
  public let key: String
  /// The connection's principal.
  public let principal: String
  /// What happened.
  public let outcome: Outcome

  /// The acknowledgement of the command on `key`, handled at `time` for `principal`.
  public init(time: Timestamp, key: String, principal: String, outcome: Outcome) {
    self.time = time
    self.key = key
    self.principal = principal
    self.outcome = outcome
  }

  /// The event's `Action`.
  public var action: String {
    switch outcome {
    case .registered: return "register"
    case .deregistered: return "deregister"
    case .failed: return "error"
    }
  }

  /// The event as a JSON value, members in DRP's order.
  public var value: JSONValue {
    let object: JSONValue
    switch outcome {
    case .registered(let specifier, let references), .deregistered(let specifier, let references):
      object = .object(
        JSONObject([
          ("Specifier", .string(specifier)), ("References", .number(JSONNumber(references))),
        ]))
    case .failed(let failure):
      object = .object(
        JSONObject([
          ("Command", .string(failure.command)),
          ("Code", .string(failure.code)),
          ("Message", .string(failure.message)),
          ("Column", failure.column.map { .number(JSONNumber($0)) } ?? .null),
        ]))
    }
    return .object(
      JSONObject([
        ("Time", .string(time.rfc3339)),
        ("Type", "websocket"),
        ("Action", .string(action)),
        ("Key", .string(key)),
        ("Principal", .string(principal)),
        ("Object", object),
      ]))
  }

  /// The event's minified JSON text, the frame sent.
  public var json: String { value.minified }
}

/// Why a command was refused: the `Object` of an `error` acknowledgement.
public struct CommandFailure: Error, Sendable, Equatable {
  /// The command word as received.
  public let command: String
  /// A diagnostic code (`Winnow.Diagnostic.Code`), `notRegistered` or `unknownCommand`.
  public let code: String
  /// One lowercase sentence.
  public let message: String
  /// The 1-based column (Unicode scalars) in the specifier, when the error has a position.
  public let column: Int?

  /// A failure of `command` with `code`, `message` and, when known, `column`.
  public init(command: String, code: String, message: String, column: Int?) {
    self.command = command
    self.code = code
    self.message = message
    self.column = column
  }

  /// The code of a `deregister` of a specifier the connection does not hold.
  public static let notRegisteredCode = "notRegistered"
  /// The code of a frame whose first word is not a command.
  public static let unknownCommandCode = "unknownCommand"

  /// A word other than `register` and `deregister`.
  public static func unknownCommand(_ word: String) -> CommandFailure {
    CommandFailure(
      command: word, code: unknownCommandCode,
      message: "unknown command '\(word)': expected 'register SPECIFIER' or 'deregister SPECIFIER'",
      column: nil)
  }

  /// `deregister` of what the connection does not hold.
  public static func notRegistered(_ command: String, specifier: String) -> CommandFailure {
    CommandFailure(
      command: command, code: notRegisteredCode,
      message: "'\(specifier)' is not registered on this connection", column: nil)
  }

  /// An invalid specifier, positioned in `text`.
  public static func invalidSpecifier(_ command: String, _ diagnostic: Diagnostic, in text: String)
    -> CommandFailure
  {
    let bytes = Array(text.utf8)
    let offset = min(max(diagnostic.offset, 0), bytes.count)
    let column = String(decoding: bytes[..<offset], as: UTF8.self).unicodeScalars.count + 1
    return CommandFailure(
      command: command, code: diagnostic.code.rawValue, message: diagnostic.message, column: column)
  }

  /// A frame that is not valid UTF-8.
  public static func invalidEncoding(_ command: String) -> CommandFailure {
    CommandFailure(
      command: command, code: Diagnostic.Code.invalidEncoding.rawValue,
      message: "the frame is not valid UTF-8", column: nil)
  }

  /// A frame longer than the hub accepts.
  public static func frameTooLarge(size: Int, limit: Int) -> CommandFailure {
    CommandFailure(
      command: "", code: Diagnostic.Code.limitExceeded.rawValue,
      message: "a frame of \(size) bytes is over the limit of \(limit) bytes", column: nil)
  }
}
