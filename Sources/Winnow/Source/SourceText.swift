/// The text of a filter or specifier as UTF-8 bytes, with the line arithmetic needed to report
/// a position as `line:column`.
///
/// Line starts are found only when a diagnostic is rendered, never while parsing.
public struct SourceText: Sendable {
  /// The UTF-8 bytes of the text.
  public let bytes: [UInt8]

  /// Wraps the UTF-8 bytes of `text`.
  public init(_ text: String) { bytes = Array(text.utf8) }

  /// Wraps raw bytes, which need not be valid UTF-8.
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// The 1-based line and column of a byte offset.
  ///
  /// Lines end at LF; columns count Unicode scalars (an invalid byte counts as one). An offset at
  /// or past the end is placed one column after the last character.
  public func location(ofOffset offset: Int) -> (line: Int, column: Int) {
    bytes.withUnsafeBufferPointer { SourceText.location(ofOffset: offset, in: $0) }
  }

  /// The text of the 1-based line `line`, without its line terminator (LF, or CR LF).
  public func lineText(_ line: Int) -> String {
    bytes.withUnsafeBufferPointer { SourceText.lineText(line, in: $0) }
  }

  /// ``location(ofOffset:)`` in bytes held elsewhere (a line of a stream).
  static func location(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (
    line: Int, column: Int
  ) {
    let end = min(max(offset, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
      line += 1
      lineStart = i + 1
    }
    // Every byte that does not continue a sequence starts a scalar.
    var scalars = 0
    for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { scalars += 1 }
    return (line, scalars + 1)
  }

  /// ``lineText(_:)`` in bytes held elsewhere.
  static func lineText(_ line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
    var current = 1
    var start = 0
    var i = 0
    while i < bytes.count && current < line {
      if bytes[i] == UInt8(ascii: "\n") {
        current += 1
        start = i + 1
      }
      i += 1
    }
    var end = start
    while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }
}
