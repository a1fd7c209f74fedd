import NIOCore

/// An event's bytes preceded by the header of the websocket text frame that carries it, so that
/// the hub serializes the frame once and every websocket it goes to writes the same buffer.
///
/// ``framing(_:)`` returns a buffer whose readable bytes are the event itself (what every
/// front-end sees in ``Outbound/event(_:stream:)``) with the frame header just before the reader
/// index; ``wholeFrame(of:)`` gives a websocket writer the header and the event together.
enum FramedEvent {
  /// The header of a final, unmasked text frame (RFC 6455 section 5.2) of `length` bytes.
  static func headerLength(payload length: Int) -> Int {
    length < 126 ? 2 : length < 65536 ? 4 : 10
  }

  /// `event` copied once behind a text frame header; the result reads as the event.
  static func framing(_ event: ByteBuffer) -> ByteBuffer {
    let length = event.readableBytes
    let header = headerLength(payload: length)
    var buffer = ByteBufferAllocator().buffer(capacity: header + length)
    writeHeader(payload: length, to: &buffer)
    buffer.writeImmutableBuffer(event)
    buffer.moveReaderIndex(forwardBy: header)
    return buffer
  }

  /// The whole frame (header and event) when `event` came from ``framing(_:)``; nil otherwise.
  static func wholeFrame(of event: ByteBuffer) -> ByteBuffer? {
    let length = event.readableBytes
    let header = headerLength(payload: length)
    guard event.readerIndex == header else { return nil }
    // The buffer's bytes from index 0: the header must be exactly the one this event needs.
    let matches = event.withVeryUnsafeBytes { storage -> Bool in
      guard storage.count >= header else { return false }
      return headerMatches(storage, payload: length)
    }
    guard matches else { return nil }
    var frame = event
    frame.moveReaderIndex(to: 0)
    return frame
  }

  /// The whole text frame carrying `bytes`: the shared frame of an event from ``framing(_:)``,
  /// or a new frame holding a copy of anything else (an acknowledgement, a reply).
  static func frame(_ bytes: ByteBuffer) -> ByteBuffer {
    if let frame = wholeFrame(of: bytes) { return frame }
    var frame = framing(bytes)
    frame.moveReaderIndex(to: 0)
    return frame
  }

  private static func headerMatches(_ bytes: UnsafeRawBufferPointer, payload length: Int) -> Bool {
    guard bytes[0] == 0x81 else { return false }
    if length < 126 { return bytes[1] == UInt8(length) }
    if length < 65536 {
      return bytes[1] == 126 && bytes[2] == UInt8(length >> 8) && bytes[3] == UInt8(length & 0xFF)
    }
    guard bytes[1] == 127 else { return false }
    for index in 0..<8 where bytes[2 + index] != UInt8((length >> (56 - 8 * index)) & 0xFF) {
      return false
    }
    return true
  }

  private static func writeHeader(payload length: Int, to buffer: inout ByteBuffer) {
    buffer.writeInteger(UInt8(0x81))
    if length < 126 {
      buffer.writeInteger(UInt8(length))
    } else if length < 65536 {
      buffer.writeInteger(UInt8(126))
      buffer.writeInteger(UInt16(length))
    } else {
      buffer.writeInteger(UInt8(127))
      buffer.writeInteger(UInt64(length))
    }
  }
}
