/// A parsed JSON document in a compact, read-only form that filters evaluate without
/// building a tree.
///
/// Parse once with ``init(parsing:limits:)-([UInt8],_)`` and evaluate any number of filters
/// against it. ``value`` converts it to a ``JSONValue`` when a tree is wanted.
public struct JSONDocument: @unchecked Sendable {
  private let storage: TapeStorage
  /// Pointers into `storage`, cached so reading them costs no access to the class instance.
  private let cachedView: JSONView

  /// Parses strict RFC 8259 JSON from UTF-8 bytes.
  ///
  /// Invalid UTF-8 inside strings and lone surrogate escapes read as U+FFFD. Throws a
  /// ``Diagnostic`` with the byte offset of the first error.
  public init(parsing bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(Diagnostic) {
    let builder = JSONTapeBuilder(limits: limits)
    try bytes.withUnsafeBufferPointer { (input) throws(Diagnostic) in
      try builder.parseDocument(input)
    }
    storage = bytes.withUnsafeBufferPointer { TapeStorage(builder: builder, source: $0) }
    cachedView = storage.view
  }

  /// Parses strict RFC 8259 JSON from a string.
  public init(parsing text: String, limits: JSONLimits = JSONLimits()) throws(Diagnostic) {
    try self.init(parsing: Array(text.utf8), limits: limits)
  }

  /// A document holding `value`.
  public init(_ value: JSONValue) {
    var bytes: [UInt8] = []
    value.write(to: &bytes)
    // What `write` prints is valid JSON; only a depth beyond every limit could fail here.
    try! self.init(parsing: bytes, limits: JSONLimits(maxDepth: .max))
  }

  /// Calls `body` with a view of the tape, valid only inside the call.
  @inline(__always)
  func withView<R, E: Error>(_ body: (JSONView) throws(E) -> R) throws(E) -> R {
    defer { withExtendedLifetime(storage) {} }
    return try body(cachedView)
  }

  /// The kind of the root value.
  public var kind: JSONKind { withView { $0.kind(0) } }

  /// The document as a tree of ``JSONValue``.
  public var value: JSONValue { withView { $0.value(at: 0) } }
}

/// The immutable memory of a parsed document: tape, source copy and decoded strings.
private final class TapeStorage: @unchecked Sendable {
  let tape: UnsafeMutableBufferPointer<UInt64>
  let tapeCount: Int
  let source: UnsafeMutableBufferPointer<UInt8>
  let extra: UnsafeMutableBufferPointer<UInt8>

  init(builder: JSONTapeBuilder, source input: UnsafeBufferPointer<UInt8>) {
    tapeCount = builder.tapeCount
    // The tape is followed by the builder's empty-string sentinel node (two words).
    tape = .allocate(capacity: builder.tapeCount + 2)
    _ = tape.initialize(
      from: UnsafeBufferPointer(start: builder.tape, count: builder.tapeCount + 2))
    source = .allocate(capacity: max(input.count, 1))
    _ = source.initialize(from: input)
    extra = .allocate(capacity: max(builder.extraCount, 1))
    _ = extra.initialize(from: UnsafeBufferPointer(start: builder.extra, count: builder.extraCount))
  }

  deinit {
    tape.deallocate()
    source.deallocate()
    extra.deallocate()
  }

  var view: JSONView {
    JSONView(
      tape: UnsafePointer(tape.baseAddress!), source: UnsafePointer(source.baseAddress!),
      extra: UnsafePointer(extra.baseAddress!), sourceCount: source.count, tapeCount: tapeCount)
  }
}
