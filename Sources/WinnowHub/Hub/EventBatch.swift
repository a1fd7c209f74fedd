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
    let whole = EventBatch.trimmed(body)
    guard whole.readableBytes > 0 else {
      throw BadLine(line: 1, column: nil, message: "the body holds no event")
    }
    // A body that is one event, perhaps pretty-printed over several lines.
    if (try? validator.validate(whole)) != nil {
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
        try validator.validate(event)
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
