#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A block of whole lines read ahead by the block-parallel loop, and what a worker found in it:
/// the lines to write and the errors to report, in line order, and the block's counts.
///
/// The reading thread fills it and hands it to a worker; the worker filters it; the reading
/// thread then writes its results in input order, numbering lines from the lines before it.
final class FilterBlock: @unchecked Sendable {
  /// Where the block is in its round.
  enum State {
    /// Free to be filled (its results, if any, were written).
    case free
    /// Waiting for a worker, or being filtered.
    case queued
    /// Filtered, its results not yet written.
    case done
  }

  /// A line the results name: a match to write, or an error to report.
  struct Record {
    /// The line's offset in the block.
    var start: Int
    /// Its length (for an over-long line, the limit and one byte).
    var length: Int
    /// Its 1-based number in the block.
    var line: Int
    /// The blank lines of the block before it.
    var blanksBefore: Int
    /// The index of its error in ``FilterBlock/diagnostics``, or -1 for a match.
    var diagnostic: Int
  }

  /// The size of ``bytes``.
  let capacity: Int
  /// The block's own memory, which reads fill.
  let buffer: UnsafeMutablePointer<UInt8>
  /// The bytes read: whole lines first (``count``), then the start of the next line.
  ///
  /// They are ``buffer``'s, or a window of a mapped file.
  var bytes: UnsafePointer<UInt8>
  /// When the bytes are a mapped file's: the offset in it just past them.
  var mappedEnd: Int?
  /// Bytes read into the block.
  var filled = 0
  /// The bytes of whole lines (the last ends with LF, unless the input ended).
  var count = 0
  /// Set under the loop's monitor.
  var state = State.free
  /// The matches (when they are written) and errors, in line order.
  var records: [Record] = []
  /// The errors of the records.
  var diagnostics: [Diagnostic] = []
  /// The counts of the block's lines.
  var statistics = NDJSONEventFilter.Statistics()

  init(capacity: Int) {
    self.capacity = capacity
    buffer = .allocate(capacity: capacity)
    bytes = UnsafePointer(buffer)
  }

  deinit { buffer.deallocate() }

  /// Makes ``buffer`` the block's bytes again, holding `filled` bytes.
  func useBuffer(filled: Int) {
    bytes = UnsafePointer(buffer)
    mappedEnd = nil
    self.filled = filled
  }

  /// Makes the whole lines of a mapped file from `start` to `end` (just past an LF) the block's
  /// bytes.
  func useMapped(_ input: MappedInput, from start: Int, to end: Int) {
    bytes = input.bytes + start
    mappedEnd = end
    filled = end - start
    count = filled
  }

  /// The bytes after the whole lines: the start of a line that goes on in the next block.
  var tail: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: bytes + count, count: filled - count)
  }

  /// The offset just past the last LF of the bytes read, or nil if there is none.
  func endOfLastLine() -> Int? {
    Self.endOfLastLine(bytes, count: filled)
  }

  /// The offset just past the last LF of the `count` bytes at `bytes`, or nil if there is none.
  static func endOfLastLine(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
    var i = count
    while i > 0 {
      i -= 1
      if bytes[i] == 0x0A { return i + 1 }
    }
    return nil
  }

  /// Filters the whole lines with `tester` (which must not be used elsewhere meanwhile),
  /// recording errors, and matches too when `recordMatches`.
  func filter(with tester: NDJSONEventFilter, recordMatches: Bool) {
    var records = self.records
    var diagnostics = self.diagnostics
    self.records = []
    self.diagnostics = []
    records.removeAll(keepingCapacity: true)
    diagnostics.removeAll(keepingCapacity: true)
    tester.statistics = NDJSONEventFilter.Statistics()
    let base = bytes
    let limit = tester.limits.maxLineBytes
    let end = count
    var p = 0
    while p < end {
      let lineEnd: Int
      if let newline = memchr(base + p, 0x0A, end - p) {
        lineEnd = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
      } else {
        lineEnd = end
      }
      let line = UnsafeBufferPointer(start: base + p, count: lineEnd - p)
      let number = tester.statistics.lines + 1
      if line.count > limit {
        tester.countOverlong(
          UnsafeBufferPointer(start: base + p, count: limit + 1), limit: limit,
          lineNumber: number
        ) { error in
          Self.add(error, base: base, blanks: tester.statistics.blank, &records, &diagnostics)
        }
      } else if tester.test(
        line, lineNumber: number,
        report: { error in
          Self.add(error, base: base, blanks: tester.statistics.blank, &records, &diagnostics)
        }), recordMatches
      {
        records.append(
          Record(
            start: p, length: line.count, line: number, blanksBefore: tester.statistics.blank,
            diagnostic: -1))
      }
      p = lineEnd + 1
    }
    statistics = tester.statistics
    self.records = records
    self.diagnostics = diagnostics
  }

  /// Records an error line.
  private static func add(
    _ error: NDJSONEventFilter.LineError, base: UnsafePointer<UInt8>, blanks: Int,
    _ records: inout [Record], _ diagnostics: inout [Diagnostic]
  ) {
    diagnostics.append(error.diagnostic)
    records.append(
      Record(
        start: base.distance(to: error.line.baseAddress!), length: error.line.count,
        line: error.lineNumber, blanksBefore: blanks, diagnostic: diagnostics.count - 1))
  }
}
