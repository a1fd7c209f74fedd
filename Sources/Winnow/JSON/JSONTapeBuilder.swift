#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A strict RFC 8259 parser over raw UTF-8 bytes that writes the node tape of ``JSONTape``.
///
/// The builder owns growable buffers and is meant to be reused: after the first few documents
/// a stream parses without allocating. It never recurses, so no input can overflow the stack;
/// nesting is bounded by ``JSONLimits/maxDepth``.
///
/// Documents are read leniently where Go's `encoding/json` is: an invalid UTF-8 byte inside a
/// string reads as U+FFFD (one per byte), and so does a lone surrogate escape.
final class JSONTapeBuilder {
  private var writer: TapeWriter
  var limits: JSONLimits

  init(limits: JSONLimits = JSONLimits()) {
    self.limits = limits
    writer = TapeWriter()
  }

  deinit { writer.deallocate() }

  var tape: UnsafeMutablePointer<UInt64> { writer.tape }
  var tapeCount: Int { writer.tapeCount }
  var extra: UnsafeMutablePointer<UInt8> { writer.extra }
  var extraCount: Int { writer.extraCount }

  /// A read-only view of the last parse, valid while `source` and this builder are unchanged.
  func view(source: UnsafeBufferPointer<UInt8>) -> JSONView {
    JSONView(
      tape: UnsafePointer(writer.tape), source: source.baseAddress ?? UnsafePointer(writer.extra),
      extra: UnsafePointer(writer.extra), sourceCount: source.count, tapeCount: writer.tapeCount)
  }

  /// Parses a whole document: one value, surrounded by optional whitespace.
  ///
  /// With a `projection`, members of projected objects that it leaves out are skipped (see
  /// ``TapeWriter/parse(_:count:from:maxDepth:projection:)``); then an error means only "parse
  /// again without it", never which error the document has.
  func parseDocument(
    _ input: UnsafeBufferPointer<UInt8>, projection: MemberProjection.Keys? = nil
  ) throws(Diagnostic) {
    if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
      throw Diagnostic(.invalidValue, "a byte order mark is not allowed before JSON", at: 0)
    }
    let end = try parseValue(input, from: 0, projection: projection)
    var rest = end
    while rest < input.count, ByteClass.isWhitespace(input[rest]) { rest += 1 }
    if rest < input.count {
      throw Diagnostic(.invalidValue, "unexpected text after the JSON value", at: rest)
    }
  }

  /// Parses one value starting at `start` (after optional whitespace) and returns the offset
  /// just past it; what follows is not looked at.
  @discardableResult
  func parseValue(
    _ input: UnsafeBufferPointer<UInt8>, from start: Int,
    projection: MemberProjection.Keys? = nil
  ) throws(Diagnostic) -> Int {
    guard let base = input.baseAddress else {
      throw Diagnostic(.invalidValue, "expected a JSON value", at: start)
    }
    // The work happens on a local copy of the writer, so the hot loop touches no class
    // storage (which Swift would guard with dynamic exclusivity checks).
    var local = writer
    defer { writer = local }
    let end = try local.parse(
      base, count: input.count, from: start, maxDepth: limits.maxDepth, projection: projection)
    local.appendEmptyStringSentinel()
    return end
  }
}
