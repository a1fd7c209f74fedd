/// A DRP event: a JSON object with `Time`, `Type`, `Action`, `Key` and `Principal` strings,
/// and `Object` and `Original` values (SPEC section 1), parsed once for any number of filters.
///
/// A missing or `null` string member reads as `""`; any other non-string value there makes the
/// document an error. `Object` and `Original` that are missing or `null` are absent for the
/// `Changed` rules. Other members are kept and can be addressed like any field.
public struct Event: Sendable {
  /// The whole event as a parsed document.
  public let document: JSONDocument
  let fields: EventFields

  /// Parses an event from UTF-8 JSON bytes.
  public init(parsing bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(Diagnostic) {
    try self.init(document: JSONDocument(parsing: bytes, limits: limits))
  }

  /// Parses an event from JSON text.
  public init(parsing text: String, limits: JSONLimits = JSONLimits()) throws(Diagnostic) {
    try self.init(parsing: Array(text.utf8), limits: limits)
  }

  /// An event holding `value`, which must be an object with string members where required.
  public init(_ value: JSONValue) throws(Diagnostic) {
    try self.init(document: JSONDocument(value))
  }

  /// An event from a parsed document.
  public init(document: JSONDocument) throws(Diagnostic) {
    self.document = document
    fields = try document.withView { view throws(Diagnostic) in try EventFields(view) }
  }

  /// The event's `Type` (`""` when missing or null).
  public var type: String { text(fields.type) }
  /// The event's `Action` (`""` when missing or null).
  public var action: String { text(fields.action) }
  /// The event's `Key` (`""` when missing or null).
  public var key: String { text(fields.key) }
  /// The event's `Time` as written (`""` when missing or null).
  public var time: String { text(fields.time) }
  /// The event's `Principal` (`""` when missing or null).
  public var principal: String { text(fields.principal) }

  private func text(_ node: Int) -> String {
    document.withView { String(decoding: $0.text(node), as: UTF8.self) }
  }

  /// Calls `body` with this event as a ``ParsedEvent``, valid only inside the call.
  @usableFromInline
  func withParsed<R, E: Error>(_ body: (ParsedEvent) throws(E) -> R) throws(E) -> R {
    try document.withView { view throws(E) in try body(ParsedEvent(view: view, fields: fields)) }
  }
}
