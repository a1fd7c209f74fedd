extension JSONValue {
  /// Parses strict RFC 8259 JSON text into a tree (see ``JSONDocument/init(parsing:limits:)-([UInt8],_)``).
  public init(parsing text: String, limits: JSONLimits = JSONLimits()) throws(Diagnostic) {
    self = try JSONDocument(parsing: text, limits: limits).value
  }

  /// Parses strict RFC 8259 JSON bytes into a tree.
  public init(parsing bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(Diagnostic) {
    self = try JSONDocument(parsing: bytes, limits: limits).value
  }
}

extension JSONValue {
  /// Parses one JSON value that starts at `start` (after optional whitespace) in `bytes`, for
  /// values embedded in a larger text; returns the value and the offset just past it.
  ///
  /// Diagnostics carry offsets within `bytes`. The builder (and its limits) is reused across the
  /// values of one text.
  static func parsePrefix(
    of bytes: UnsafeBufferPointer<UInt8>, from start: Int, using builder: JSONTapeBuilder
  ) throws(Diagnostic) -> (value: JSONValue, end: Int) {
    let end = try builder.parseValue(bytes, from: start)
    return (builder.view(source: bytes).value(at: 0), end)
  }
}
