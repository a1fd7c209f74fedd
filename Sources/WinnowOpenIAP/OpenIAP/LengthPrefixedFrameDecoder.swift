/// Splits a byte stream of 4-byte little-endian lengths, each followed by that many bytes, into
/// frames, whatever the boundaries of the reads (or websocket messages) that carry it.
///
/// A zero length is skipped, as OpenIAP's own parser does. A length above `frameLimit` throws as
/// soon as its 4 bytes are read, before any of the body is buffered.
package struct LengthPrefixedFrameDecoder: Sendable {
  /// The largest frame accepted, in bytes (default 64 MiB).
  package let frameLimit: Int
  /// The default frame limit, 64 MiB.
  package static let defaultFrameLimit = 64 << 20

  /// Unread bytes are `buffer[readIndex...]`.
  private var buffer: [UInt8] = []
  private var readIndex = 0

  /// Creates a decoder that accepts frames of up to `frameLimit` bytes.
  package init(frameLimit: Int = LengthPrefixedFrameDecoder.defaultFrameLimit) {
    self.frameLimit = frameLimit
  }

  /// The number of bytes received but not yet returned as frames.
  package var bufferedByteCount: Int { buffer.count - readIndex }

  /// Adds received bytes.
  package mutating func append(_ bytes: some Collection<UInt8>) {
    compactIfWorthwhile()
    buffer.append(contentsOf: bytes)
  }

  /// The next complete frame, or nil when more bytes are needed.
  package mutating func nextFrame() throws(OpenIAPStreamError) -> ArraySlice<UInt8>? {
    while buffer.count - readIndex >= 4 {
      let length =
        UInt32(buffer[readIndex]) | UInt32(buffer[readIndex + 1]) << 8
        | UInt32(buffer[readIndex + 2]) << 16 | UInt32(buffer[readIndex + 3]) << 24
      guard Int(length) <= frameLimit else {
        throw .frameTooLarge(length: length, limit: frameLimit)
      }
      let start = readIndex + 4
      let end = start + Int(length)
      guard end <= buffer.count else { return nil }
      readIndex = end
      if length == 0 { continue }
      return buffer[start..<end]
    }
    return nil
  }

  /// Drops consumed bytes once they are at least half the buffer, so that appending stays
  /// amortized O(1) and a long-lived connection does not keep every byte it ever read.
  private mutating func compactIfWorthwhile() {
    guard readIndex > 0 else { return }
    if readIndex == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
      readIndex = 0
    } else if readIndex >= buffer.count / 2 {
      buffer.removeSubrange(0..<readIndex)
      readIndex = 0
    }
  }
}
