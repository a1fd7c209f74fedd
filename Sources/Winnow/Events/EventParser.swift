/// Parses events into reused buffers: once its buffers have grown to the largest event seen,
/// `parse` allocates nothing, so a server can parse and dispatch every event without `malloc`.
///
///     let parser = EventParser()
///     var clients: [ClientID] = []
///     try frame.withUnsafeBufferPointer { bytes throws(Diagnostic) in
///       let event = try parser.parse(bytes)
///       registry.appendSubscribers(matching: event, to: &clients)
///     }
///
/// Not thread-safe: use one parser per thread (or connection, or event loop). The
/// ``ParsedEvent`` it returns borrows its buffers and the parsed bytes (see there).
public final class EventParser {
  private let builder: JSONTapeBuilder

  /// A parser for events within `limits`.
  public init(limits: JSONLimits = JSONLimits()) {
    builder = JSONTapeBuilder(limits: limits)
  }

  /// Parses one event (one JSON object, surrounded by optional whitespace) from UTF-8 bytes.
  ///
  /// Throws a ``Diagnostic`` with the byte offset of the first error: invalid JSON, a value
  /// that is not an object, or a string member (`Type`, `Action`, `Key`, `Time`, `Principal`)
  /// that holds a value other than a string or `null`. The result is valid until the next
  /// `parse` and while `bytes` are alive and unchanged.
  public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> ParsedEvent {
    try builder.parseDocument(bytes)
    let view = builder.view(source: bytes)
    return ParsedEvent(view: view, fields: try EventFields(view))
  }

  /// Parses one event from raw bytes (a network buffer); see ``parse(_:)-(UnsafeBufferPointer<UInt8>)``.
  public func parse(_ bytes: UnsafeRawBufferPointer) throws(Diagnostic) -> ParsedEvent {
    try parse(bytes.assumingMemoryBound(to: UInt8.self))
  }
}
