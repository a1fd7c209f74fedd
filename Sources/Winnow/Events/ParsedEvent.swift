/// An event as ``EventParser`` leaves it: a borrowed view of the parser's buffers and of the
/// bytes it parsed, ready for ``SubscriptionRegistry``, ``EventMatcher``, ``CompiledFilter`` and
/// ``EventSpecifier`` without copying anything.
///
/// A parsed event is valid only until the next `parse` on the same parser and only while the
/// parsed bytes are alive and unchanged; it must not be stored or sent to another thread. For
/// an event to keep, use ``Event`` (``makeEvent()`` copies this one into one).
public struct ParsedEvent {
  let view: JSONView
  let fields: EventFields

  init(view: JSONView, fields: EventFields) {
    self.view = view
    self.fields = fields
  }

  /// The event's `Type` (`""` when missing or null).
  public var type: String { String(decoding: utf8(.type), as: UTF8.self) }
  /// The event's `Action` (`""` when missing or null).
  public var action: String { String(decoding: utf8(.action), as: UTF8.self) }
  /// The event's `Key` (`""` when missing or null).
  public var key: String { String(decoding: utf8(.key), as: UTF8.self) }
  /// The event's `Time` as written (`""` when missing or null).
  public var time: String { String(decoding: utf8(.time), as: UTF8.self) }
  /// The event's `Principal` (`""` when missing or null).
  public var principal: String { String(decoding: utf8(.principal), as: UTF8.self) }

  /// The decoded UTF-8 bytes of one of the string members (empty when missing or null), valid
  /// as long as this parsed event: reading them allocates nothing.
  public func utf8(_ member: EventStringMember) -> UnsafeBufferPointer<UInt8> {
    switch member {
    case .time: view.text(fields.time)
    case .type: view.text(fields.type)
    case .action: view.text(fields.action)
    case .key: view.text(fields.key)
    case .principal: view.text(fields.principal)
    }
  }

  /// The bytes that were parsed, as given to the parser.
  public var source: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: view.source, count: view.sourceCount)
  }

  /// A copy that owns its memory (the source bytes are parsed again).
  public func makeEvent() -> Event {
    // These bytes parsed as an event with the same limits, so they parse again.
    try! Event(parsing: Array(source), limits: JSONLimits(maxDepth: .max))
  }

  /// The subject that compiled filters evaluate against.
  var subject: Subject { Subject(event: view, fields: fields) }
}

@available(*, unavailable, message: "a parsed event borrows its parser's buffers")
extension ParsedEvent: Sendable {}

/// The string members every event has (missing or `null` reads as `""`).
public enum EventStringMember: Sendable, Hashable, CaseIterable {
  /// `Time`, an RFC 3339 timestamp.
  case time
  /// `Type`, the kind of object (`machines`, `jobs`, ...).
  case type
  /// `Action`, what happened (`create`, `save`, `update`, `delete`, ...).
  case action
  /// `Key`, the object's key.
  case key
  /// `Principal`, who caused the event.
  case principal
}
