import NIOCore
import Winnow

/// The events of one `POST /api/v3/events` body: one JSON event, or NDJSON (one event per
/// line, blank lines skipped), all checked before any is published.
public struct EventBatch: Sendable {
  /// The events, each a slice of the body without surrounding blanks, in body order.
  public let events: [ByteBuffer]

  /// The first line of a body that is not an event.
  public struct BadLine: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line number in the body.
    public let line: Int
    /// The 1-based column of the error in that line, in bytes, when it has one.
    public let column: Int?
    /// The parser's message.
    public let message: String

    public var description: String {
      "line \(line)\(column.map { ", column \($0)" } ?? ""): \(message)"
    }
  }

  /// Splits and checks `body`; throws the first line that is not an event, so that nothing
  /// from the body is published.
  public init(body: ByteBuffer, limits: JSONLimits = JSONLimits()) throws(BadLine) {
    let validator = EventValidator(limits: limits)
    try self.init(body: body) { (event: ByteBuffer) throws(Diagnostic) in
      try validator.validate(event)
    }
  }

  /// Splits `body` and calls `check` once with each event in body order, stopping at the first it
  /// throws for, which becomes the ``BadLine``.
  ///
  /// `check` is the only parse of each event: the hub parses, matches and keeps the recipients in
  /// one step (``EventHub/publish(body:)``).
  ///
  /// A body that is one event, perhaps pretty-printed over several lines, is tried whole first:
  /// `check` is called with it, and a throw there (before `check` kept anything) means the body
  /// is NDJSON.
  init(
    body: ByteBuffer, check: (ByteBuffer) throws(Diagnostic) -> Void
  ) throws(BadLine) {
    let whole = EventBatch.trimmed(body)
    guard whole.readableBytes > 0 else {
      throw BadLine(line: 1, column: nil, message: "the body holds no event")
    }
    if EventBatch.mayBeOneEvent(whole), (try? check(whole)) != nil {
      events = [whole]
      return
    }
    var events: [ByteBuffer] = []
    var lineNumber = 0
    var rest = body
    while rest.readableBytes > 0 {
      lineNumber += 1
      let length = rest.withUnsafeReadableBytes { $0.firstIndex(of: UInt8(ascii: "\n")) }
      let line = rest.readSlice(length: length ?? rest.readableBytes)!
      if length != nil { rest.moveReaderIndex(forwardBy: 1) }
      let event = EventBatch.trimmed(line)
      guard event.readableBytes > 0 else { continue }
      do {
        try check(event)
      } catch {
        let leading =
          line.readableBytes - event.readableBytes
          - EventBatch.trailingBlanks(line)
        throw BadLine(line: lineNumber, column: error.offset + leading + 1, message: error.message)
      }
      events.append(event)
    }
    self.events = events
  }

  /// False when `body` cannot be one event: its first line ends with `}` and the next non-blank
  /// line starts with `{` (the usual NDJSON body), which no single JSON value contains, so that
  /// trying it whole would parse its first event for nothing.
  ///
  /// True otherwise (the parser decides).
  static func mayBeOneEvent(_ body: ByteBuffer) -> Bool {
    body.withUnsafeReadableBytes { bytes in
      guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return true }
      var end = newline
      while end > 0, isBlank(bytes[end - 1]) { end -= 1 }
      guard end > 0, bytes[end - 1] == UInt8(ascii: "}") else { return true }
      var next = newline + 1
      while next < bytes.count, isBlank(bytes[next]) { next += 1 }
      return !(next < bytes.count && bytes[next] == UInt8(ascii: "{"))
    }
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func trailingBlanks(_ buffer: ByteBuffer) -> Int {
    buffer.withUnsafeReadableBytes { bytes in
      var count = 0
      while count < bytes.count, isBlank(bytes[bytes.count - 1 - count]) { count += 1 }
      return count
    }
  }

  /// `buffer` without leading and trailing blanks (space, tab, CR, LF).
  static func trimmed(_ buffer: ByteBuffer) -> ByteBuffer {
    let (start, end) = buffer.withUnsafeReadableBytes { bytes -> (Int, Int) in
      var start = 0
      var end = bytes.count
      while start < end, isBlank(bytes[start]) { start += 1 }
      while end > start, isBlank(bytes[end - 1]) { end -= 1 }
      return (start, end)
    }
    return buffer.getSlice(at: buffer.readerIndex + start, length: end - start)!
  }
}
