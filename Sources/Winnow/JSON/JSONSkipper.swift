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
/// ones it does not bother to decide (a number with an exponent or of more than 300 bytes, which
/// might not fit a 64-bit float; nesting deeper than 64 levels). The caller then parses the
/// whole document in full, which gives the exact result or diagnostic, so -1 never needs a
/// reason or a position.
enum JSONSkipper {
  private enum State { case value, key, afterValue }

  /// The offset just past the value that starts at `start` (after optional whitespace), or -1.
  ///
  /// `depth` is the nesting of the value's position (1 inside a top-level object); a
  /// container is accepted only where the full parser would open it within `maxDepth`.
  static func skipValue(
    _ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, depth outer: Int, maxDepth: Int
  ) -> Int {
    var i = start
    var depth = 0  // containers open inside the value
    var objects: UInt64 = 0  // bit k: the container at inner level k + 1 is an object
    var state = State.value
    while true {
      switch state {
      case .value:
        i = skipWhitespace(p, n, from: i)
        guard i < n else { return -1 }
        switch p[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          let isObject = p[i] == UInt8(ascii: "{")
          guard outer + depth < maxDepth, depth < 64 else { return -1 }
          if isObject { objects |= 1 << UInt64(depth) } else { objects &= ~(1 << UInt64(depth)) }
          depth += 1
          i = skipWhitespace(p, n, from: i + 1)
          if i < n, p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            depth -= 1
            i += 1
            state = .afterValue
          } else {
            state = isObject ? .key : .value
          }
        case UInt8(ascii: "\""):
          i = skipString(p, n, quote: i)
          guard i >= 0 else { return -1 }
          state = .afterValue
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
          i = skipNumber(p, n, from: i)
          guard i >= 0 else { return -1 }
          state = .afterValue
        case UInt8(ascii: "t"):
          guard matches(p, n, i, "true") else { return -1 }
          i += 4
          state = .afterValue
        case UInt8(ascii: "f"):
          guard matches(p, n, i, "false") else { return -1 }
          i += 5
          state = .afterValue
        case UInt8(ascii: "n"):
          guard matches(p, n, i, "null") else { return -1 }
          i += 4
          state = .afterValue
        default:
          return -1
        }

      case .key:
        i = skipWhitespace(p, n, from: i)
        guard i < n, p[i] == UInt8(ascii: "\"") else { return -1 }
        i = skipString(p, n, quote: i)
        guard i >= 0 else { return -1 }
        i = skipWhitespace(p, n, from: i)
        guard i < n, p[i] == UInt8(ascii: ":") else { return -1 }
        i += 1
        state = .value

      case .afterValue:
        guard depth > 0 else { return i }
        let isObject = objects >> UInt64(depth - 1) & 1 != 0
        i = skipWhitespace(p, n, from: i)
        guard i < n else { return -1 }
        if p[i] == UInt8(ascii: ",") {
          i += 1
          state = isObject ? .key : .value
        } else if p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          depth -= 1
          i += 1
        } else {
          return -1
        }
      }
    }
  }

  @inline(__always)
  private static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
    var i = start
    while i < n, p[i] <= 0x20, ByteClass.isWhitespace(p[i]) { i += 1 }
    return i
  }

  @inline(__always)
  private static func matches(
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
    // The common case, plain ASCII up to the closing quote, inline.
    let stop = winnow_string_stop(p, quote + 1, n)
    if stop < n, p[stop] == UInt8(ascii: "\"") { return stop + 1 }
    return skipStringRest(p, n, from: stop)
  }

  /// The rest of ``skipString(_:_:quote:)`` from the first byte that is not plain ASCII.
  @inline(never)
  private static func skipStringRest(_ p: UnsafePointer<UInt8>, _ n: Int, from stop: Int) -> Int {
    var i = stop
    while true {
      i = winnow_string_stop(p, i, n)
      guard i < n else { return -1 }
      let b = p[i]
      if b == UInt8(ascii: "\"") { return i + 1 }
      if b == UInt8(ascii: "\\") {
        guard i + 1 < n else { return -1 }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
          UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          i += 2
        case UInt8(ascii: "u"):
          guard i + 5 < n, ByteClass.hexValue(p[i + 2]) != nil,
            ByteClass.hexValue(p[i + 3]) != nil, ByteClass.hexValue(p[i + 4]) != nil,
            ByteClass.hexValue(p[i + 5]) != nil
          else { return -1 }
          i += 6
        default:
          return -1
        }
      } else if b < 0x20 {
        return -1
      } else {
        i += 1
      }
    }
  }

  /// Past the number at `start`, or -1 for an invalid one and for one the full parser might
  /// find outside the range of a 64-bit float (an exponent, or more than 300 bytes).
  private static func skipNumber(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
    var i = start
    if p[i] == UInt8(ascii: "-") { i += 1 }
    guard i < n, p[i] &- UInt8(ascii: "0") < 10 else { return -1 }
    if p[i] == UInt8(ascii: "0") {
      i += 1
      if i < n, p[i] &- UInt8(ascii: "0") < 10 { return -1 }
    } else {
      while i < n, p[i] &- UInt8(ascii: "0") < 10 { i += 1 }
    }
    if i < n, p[i] == UInt8(ascii: ".") {
      i += 1
      guard i < n, p[i] &- UInt8(ascii: "0") < 10 else { return -1 }
      while i < n, p[i] &- UInt8(ascii: "0") < 10 { i += 1 }
    }
    if i < n, p[i] | 0x20 == UInt8(ascii: "e") { return -1 }
    return i - start > 300 ? -1 : i
  }
}
