import CWinnowSIMD

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Passes over one JSON value without building anything, accepting only what ``TapeWriter``
/// accepts: the parser uses it for the members a ``MemberProjection`` leaves out.
///
/// It is conservative, not exact: it returns -1 for every invalid value and also for some valid
/// ones it does not bother to decide (a number of more than 300 bytes, or whose exponent might
/// take it outside the range of a 64-bit float; nesting deeper than 64 levels). The caller
/// then parses the whole document in full, which gives the exact result or diagnostic, so -1
/// never needs a reason or a position.
///
/// One pass, a byte at a time between tokens: the byte a compact document has next (a quote,
/// a colon, a comma) is tested before whitespace is skipped, and strings are scanned 16 or 32
/// bytes a step (`winnow_skip_string_stop`).
enum JSONSkipper {
  /// The offset just past the value that starts at `start` (after optional whitespace), or -1.
  ///
  /// `depth` is the nesting of the value's position (1 inside a top-level object); a
  /// container is accepted only where the full parser would open it within `maxDepth`.
  static func skipValue(
    _ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, depth outer: Int, maxDepth: Int
  ) -> Int {
    var i = start
    var depth = 0  // containers open inside the value
    let room = min(maxDepth - outer, 64)  // a container may open while `depth < room`
    var objects: UInt64 = 0  // bit k: the container at inner level k + 1 is an object
    var inObject = false  // the innermost open container is an object
    // A container: the block-wise skip (`winnow_skip_container`), unless it is empty. Where
    // that declines, the byte-wise loop below decides.
    if i < n, p[i] | 0x20 == UInt8(ascii: "{") {
      if i + 1 < n, p[i + 1] == p[i] &+ 2, room > 0 { return i + 2 }
      let end = winnow_skip_container(p, i, n, Int32(truncatingIfNeeded: room))
      if end >= 0 { return end }
    }
    while true {
      // A value at `i`.
      guard let c = byte(p, n, at: &i) else { return -1 }
      switch c {
      case UInt8(ascii: "\""):
        i = skipString(p, n, quote: i)
        guard i >= 0 else { return -1 }
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard depth < room else { return -1 }
        inObject = c == UInt8(ascii: "{")
        if inObject { objects |= 1 << UInt64(depth) } else { objects &= ~(1 << UInt64(depth)) }
        depth += 1
        i += 1
        guard let d = byte(p, n, at: &i) else { return -1 }
        if d == c &+ 2 {  // `}` is `{` + 2, `]` is `[` + 2
          i += 1
          depth -= 1
          inObject = depth > 0 && objects >> UInt64(depth - 1) & 1 != 0
        } else {
          if inObject {
            i = skipKey(p, n, from: i)
            guard i >= 0 else { return -1 }
          }
          continue
        }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        i = skipNumber(p, n, from: i)
        guard i >= 0 else { return -1 }
      case UInt8(ascii: "t"):
        guard matches(p, n, i, "true") else { return -1 }
        i += 4
      case UInt8(ascii: "f"):
        guard matches(p, n, i, "false") else { return -1 }
        i += 5
      case UInt8(ascii: "n"):
        guard matches(p, n, i, "null") else { return -1 }
        i += 4
      default:
        return -1
      }
      // After a value: close containers until a comma starts the next value (or member).
      while true {
        guard depth > 0 else { return i }
        guard let c = byte(p, n, at: &i) else { return -1 }
        if c == UInt8(ascii: ",") {
          i += 1
          if inObject {
            i = skipKey(p, n, from: i)
            guard i >= 0 else { return -1 }
          }
          break
        }
        guard c == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return -1 }
        i += 1
        depth -= 1
        inObject = depth > 0 && objects >> UInt64(depth - 1) & 1 != 0
      }
    }
  }

  /// `winnow_skip_container` with the instruction set `level` (see
  /// `winnow_skip_container_at_level`), for tests: the container at `start`, or -1.
  static func skipContainer(
    _ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, room: Int, level: Int
  ) -> Int {
    winnow_skip_container_at_level(
      p, start, n, Int32(truncatingIfNeeded: room), Int32(truncatingIfNeeded: level))
  }

  /// The best instruction set of `winnow_skip_container` on this processor.
  static var containerSkipLevel: Int { Int(winnow_skip_container_best_level()) }

  /// The byte at `i`, or the first one after whitespace there (moving `i` to it); nil at the end.
  ///
  /// A compact document has its next token at `i`, so that byte is tested first.
  @inline(__always)
  private static func byte(_ p: UnsafePointer<UInt8>, _ n: Int, at i: inout Int) -> UInt8? {
    guard i < n else { return nil }
    if p[i] > 0x20 { return p[i] }
    i = skipWhitespace(p, n, from: i)
    return i < n ? p[i] : nil
  }

  /// Past a member name and its colon, from `start` (after optional whitespace), or -1.
  @inline(__always)
  private static func skipKey(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
    var i = start
    if !(i < n && p[i] == UInt8(ascii: "\"")) {
      i = skipWhitespace(p, n, from: i)
      guard i < n, p[i] == UInt8(ascii: "\"") else { return -1 }
    }
    i = skipString(p, n, quote: i)
    guard i >= 0 else { return -1 }
    if !(i < n && p[i] == UInt8(ascii: ":")) {
      i = skipWhitespace(p, n, from: i)
      guard i < n, p[i] == UInt8(ascii: ":") else { return -1 }
    }
    return i + 1
  }

  @inline(__always)
  private static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
    var i = start
    while i < n, p[i] <= 0x20, ByteClass.isWhitespace(p[i]) { i += 1 }
    return i
  }

  /// Whether `word` is spelled at `i` (within the `n` bytes).
  @inline(__always)
  static func matches(
    _ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ word: StaticString
  ) -> Bool {
    let length = word.utf8CodeUnitCount
    return i + length <= n && memcmp(p + i, word.utf8Start, length) == 0
  }

  /// Past the string whose opening quote is at `quote`, or -1.
  ///
  /// As in the full parser: a
  /// control character is an error, an escape is one of `\" \\ \/ \b \f \n \r \t` or `\u`
  /// and four hexadecimal digits, and every byte from 0x80 up is accepted (invalid UTF-8
  /// reads as U+FFFD there).
  @inline(__always)
  static func skipString(_ p: UnsafePointer<UInt8>, _ n: Int, quote: Int) -> Int {
    // The common case, no escape up to the closing quote, inline.
    let stop = winnow_skip_string_stop(p, quote + 1, n)
    if stop < n, p[stop] == UInt8(ascii: "\"") { return stop + 1 }
    // An escape or a control character (or the end): the block-wise validating scan.
    return winnow_skip_string_rest(p, stop, n)
  }

  /// Past the number at `start`, or -1 for an invalid one and for one the full parser might
  /// find outside the range of a 64-bit float: more than 300 bytes, or a positive exponent
  /// that with the integer digits could pass 10^300 (a negative one can only round toward 0,
  /// which is finite).
  private static func skipNumber(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
    var i = start
    if p[i] == UInt8(ascii: "-") { i += 1 }
    guard i < n, p[i] &- UInt8(ascii: "0") < 10 else { return -1 }
    let integerStart = i
    if p[i] == UInt8(ascii: "0") {
      i += 1
      if i < n, p[i] &- UInt8(ascii: "0") < 10 { return -1 }
    } else {
      while i < n, p[i] &- UInt8(ascii: "0") < 10 { i += 1 }
    }
    let integerDigits = i - integerStart
    if i < n, p[i] == UInt8(ascii: ".") {
      i += 1
      guard i < n, p[i] &- UInt8(ascii: "0") < 10 else { return -1 }
      while i < n, p[i] &- UInt8(ascii: "0") < 10 { i += 1 }
    }
    if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      var negative = false
      if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
        negative = p[i] == UInt8(ascii: "-")
        i += 1
      }
      guard i < n, p[i] &- UInt8(ascii: "0") < 10 else { return -1 }
      var exponent = 0
      while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
        if exponent < 1_000 { exponent = exponent * 10 + Int(d) }
        i += 1
      }
      if !negative, integerDigits + exponent > 300 { return -1 }
    }
    return i - start > 300 ? -1 : i
  }
}
