#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file descriptor in large blocks and yields its lines without copying them.
///
/// Lines are split at LF with `memchr`; a line that straddles two blocks is moved to the front
/// of the buffer before the next read, and the buffer grows only for a line longer than it.
/// Memory stays constant whatever the input size.
package final class LineReader {
  private let fd: Int32
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Bytes in the buffer from `start` to `end` are read but not yet handed out.
  private var start = 0
  private var end = 0
  private var atEOF = false
  /// The total number of bytes read so far.
  package private(set) var bytesRead = 0

  package init(fd: Int32, blockSize: Int = 1 << 20) {
    self.fd = fd
    capacity = blockSize
    buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  /// An error reading the input, with the system's description.
  package struct ReadError: Error {
    package let message: String
  }

  /// Calls `body` with each line (without its LF; a final line without LF included) until the
  /// input ends or `body` returns false. The bytes are valid only during the call.
  package func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) -> Bool) throws(ReadError) {
    while true {
      if let newline = memchr(buffer + start, 0x0A, end - start) {
        let lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
        start = lineEnd + 1
        if !body(line) { return }
        continue
      }
      if atEOF {
        if end > start {
          let line = UnsafeBufferPointer(start: buffer + start, count: end - start)
          start = end
          _ = body(line)
        }
        return
      }
      try refill()
    }
  }

  /// Moves the unfinished line to the front, grows the buffer if that line fills it, and reads.
  private func refill() throws(ReadError) {
    if start > 0 {
      let pending = end - start
      if pending > 0 { memmove(buffer, buffer + start, pending) }
      start = 0
      end = pending
    }
    if end == capacity {
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
      bigger.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = bigger
      capacity *= 2
    }
    while true {
      let n = read(fd, buffer + end, capacity - end)
      if n > 0 {
        end += n
        bytesRead += n
        return
      }
      if n == 0 {
        atEOF = true
        return
      }
      if errno == EINTR { continue }
      throw ReadError(message: String(cString: strerror(errno)))
    }
  }
}
