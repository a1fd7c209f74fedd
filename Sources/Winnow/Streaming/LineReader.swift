#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file descriptor in large blocks and yields its lines without copying them, in time
/// linear in the input and in memory bounded by the line limit.
///
/// Lines are split at LF with `memchr`. A line that straddles two blocks is moved to the front
/// of the buffer before the next read; the reader remembers how far the unfinished line has
/// been scanned, so each byte is searched once however many reads a long line takes. The
/// buffer grows only for a line longer than it, and never past the line limit: a line longer
/// than ``Options/maxLineBytes`` is reported once its limit is passed, then skipped to its LF
/// without being kept.
package final class LineReader {
  /// How a reader reads, and how far it lets a line go.
  package struct Options: Sendable, Hashable {
    /// The longest line handed out, in bytes, its LF not counted (a CR before it counted).
    package var maxLineBytes: Int
    /// How far an over-long line is skipped in search of its LF before the input is given up
    /// as endless (`/dev/zero`), counted from the end of the limit.
    package var maxSkippedBytes: Int
    /// The size of each read.
    package var blockSize: Int

    /// The defaults: lines up to 64 MiB (``JSONLimits/defaultMaxLineBytes``), an over-long line
    /// skipped for up to 1 GiB, reads of 1 MiB.
    package init(
      maxLineBytes: Int = JSONLimits.defaultMaxLineBytes, maxSkippedBytes: Int = 1 << 30,
      blockSize: Int = 1 << 20
    ) {
      precondition(
        maxLineBytes >= 0 && maxLineBytes < Int.max && maxSkippedBytes >= 0 && blockSize > 0)
      self.maxLineBytes = maxLineBytes
      self.maxSkippedBytes = maxSkippedBytes
      self.blockSize = blockSize
    }
  }

  /// A line longer than the limit, reported when the limit is passed (its LF may never come).
  package struct OverlongLine {
    /// The first ``LineReader/Options/maxLineBytes`` + 1 bytes of the line, valid only during
    /// the report; the last of them is the first byte past the limit.
    package let prefix: UnsafeBufferPointer<UInt8>
    /// The limit it passed.
    package let limit: Int
  }

  /// An error reading the input: the system's description, or an over-long line without an end.
  package struct ReadError: Error {
    package let message: String
  }

  /// The descriptor read.
  package let fd: Int32
  package let options: Options
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Bytes in the buffer from `start` to `end` are read but not yet handed out.
  private var start = 0
  private var end = 0
  /// Bytes from `start` to `scanned` are known to hold no LF.
  private var scanned = 0
  private var atEOF = false
  /// The total number of bytes read so far.
  package private(set) var bytesRead = 0
  /// The number of lines handed out so far (over-long ones included): the 1-based number of
  /// the line being handed out, during a call of the body.
  package private(set) var lineNumber = 0

  package init(fd: Int32, options: Options = Options()) {
    self.fd = fd
    self.options = options
    // The buffer need never hold more than an over-long line's prefix and one block.
    capacity = max(1, min(options.blockSize, options.maxLineBytes + 1))
    buffer = .allocate(capacity: capacity)
  }

  /// A reader that resumes a read begun elsewhere: `pending` (bytes read from `fd` but not yet
  /// handed out, starting at a line) comes first; `lineNumber` and `bytesRead` go on from the
  /// counts given.
  ///
  /// The block-parallel loop hands a line longer than its blocks to such a reader.
  package init(
    fd: Int32, options: Options, pending: UnsafeBufferPointer<UInt8>, lineNumber: Int,
    bytesRead: Int, atEOF: Bool
  ) {
    self.fd = fd
    self.options = options
    capacity = max(1, min(options.blockSize, options.maxLineBytes + 1), pending.count)
    buffer = .allocate(capacity: capacity)
    if let base = pending.baseAddress, pending.count > 0 {
      buffer.update(from: base, count: pending.count)
    }
    end = pending.count
    self.lineNumber = lineNumber
    self.bytesRead = bytesRead
    self.atEOF = atEOF
  }

  /// The bytes read but not yet handed out (the start of the lines after the last one handed
  /// out), valid until the next call.
  package var pending: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: buffer + start, count: end - start)
  }

  /// Whether the input has ended (everything it held is in ``pending`` or handed out).
  package var reachedEOF: Bool { atEOF }

  package convenience init(fd: Int32, blockSize: Int) {
    self.init(fd: fd, options: Options(blockSize: blockSize))
  }

  deinit { buffer.deallocate() }

  /// Calls `body` with each line (without its LF; a final line without LF included) until the input
  /// ends or `body` returns false.
  ///
  /// A line longer than the limit goes to `overlong` instead (false stops the reading too), and is
  /// then skipped. The bytes are valid only during the call.
  package func forEachLine(
    _ body: (UnsafeBufferPointer<UInt8>) -> Bool,
    overlong: (OverlongLine) -> Bool = { _ in true }
  ) throws(ReadError) {
    let limit = options.maxLineBytes
    while true {
      if let newline = memchr(buffer + scanned, 0x0A, end - scanned) {
        let lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
        start = lineEnd + 1
        scanned = start
        lineNumber += 1
        // The buffer holds at most `limit + 1` bytes, so a line found whole is within the limit.
        if !body(line) { return }
        continue
      }
      scanned = end
      if end - start > limit {
        lineNumber += 1
        let prefix = UnsafeBufferPointer(start: buffer + start, count: limit + 1)
        if !overlong(OverlongLine(prefix: prefix, limit: limit)) { return }
        try skipToNextLine()
        continue
      }
      if atEOF {
        if end > start {
          let line = UnsafeBufferPointer(start: buffer + start, count: end - start)
          start = end
          scanned = end
          lineNumber += 1
          _ = body(line)
        }
        return
      }
      try refill()
    }
  }

  /// Drops the over-long line at `start`: reads on, keeping nothing, until the byte after its LF
  /// (or the end of the input) is at `start`.
  private func skipToNextLine() throws(ReadError) {
    var skipped = end - start - (options.maxLineBytes + 1)
    start = 0
    end = 0
    scanned = 0
    while !atEOF {
      try readBlock()
      if let newline = memchr(buffer, 0x0A, end) {
        start = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
        scanned = start
        return
      }
      skipped += end
      end = 0
      if skipped > options.maxSkippedBytes {
        throw ReadError(
          message: "line \(lineNumber) has no end within \(skipped) bytes after its limit; "
            + "the rest of the input is not read")
      }
    }
  }

  /// Moves the unfinished line to the front, grows the buffer if that line fills it (up to the
  /// line limit and one byte), and reads.
  private func refill() throws(ReadError) {
    if start > 0 {
      let pending = end - start
      if pending > 0 { memmove(buffer, buffer + start, pending) }
      start = 0
      end = pending
      scanned = pending
    }
    if end == capacity {
      // Doubling, but straight to the limit when the next doubling would pass it, so that the
      // largest buffer is never copied once more for the last few bytes.
      let largest = options.maxLineBytes + 1
      let grown = capacity > largest / 4 ? largest : capacity * 2
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
      bigger.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = bigger
      capacity = grown
    }
    try readBlock()
  }

  /// Reads into the free space after `end`; sets `atEOF` at the end.
  private func readBlock() throws(ReadError) {
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
