import CWinnowSIMD

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The parsing state and output buffers of ``JSONTapeBuilder``, a value type so that the hot
/// loop works on a local variable.
struct TapeWriter {
  private(set) var tape: UnsafeMutablePointer<UInt64>
  private(set) var tapeCount = 0
  private var tapeCapacity: Int
  /// Strings that needed decoding (escapes or invalid UTF-8), back to back.
  private(set) var extra: UnsafeMutablePointer<UInt8>
  private(set) var extraCount = 0
  private var extraCapacity: Int
  /// For each open container: its tape index, and the element count of the container around
  /// it, saved while this one is open (the innermost count is a local of ``parse``).
  private var openIndex: UnsafeMutablePointer<Int>
  private var openCount: UnsafeMutablePointer<Int>
  /// The projection node of the container around each open one (see ``parse``).
  private var openProjection: UnsafeMutablePointer<Int>
  private var openCapacity: Int
  private var depth = 0

  init() {
    tapeCapacity = 256
    tape = .allocate(capacity: tapeCapacity)
    extraCapacity = 256
    extra = .allocate(capacity: extraCapacity)
    openCapacity = 64
    openIndex = .allocate(capacity: openCapacity)
    openCount = .allocate(capacity: openCapacity)
    openProjection = .allocate(capacity: openCapacity)
  }

  func deallocate() {
    tape.deallocate()
    extra.deallocate()
    openIndex.deallocate()
    openCount.deallocate()
    openProjection.deallocate()
  }

  // MARK: - The state machine

  private enum State { case value, key, afterValue }

  /// Parses one value from `start`; returns the offset past it.
  ///
  /// With a `projection`, a member of a projected object (the top-level object, and the
  /// objects that are values of members kept with a selection of their own) whose (undecoded)
  /// name is not selected gets no nodes: its value is passed over by ``JSONSkipper``, and when
  /// that declines, the parse throws (the caller then parses again without a projection, for
  /// the exact diagnostic). Such a tape answers lookups along the selected paths, and of every
  /// member whose name needed decoding, as the full tape does (see ``MemberProjection``).
  mutating func parse(
    _ p: UnsafePointer<UInt8>, count n: Int, from start: Int, maxDepth: Int,
    projection: MemberProjection.Keys? = nil
  ) throws(Diagnostic) -> Int {
    tapeCount = 0
    extraCount = 0
    depth = 0
    var i = start
    var state = State.value
    // The innermost open container's kind and element count live in registers; the stack
    // keeps the counts of the containers around it.
    var topIsObject = false
    var topCount = 0
    // The projection node of the innermost open container (-1: every member is kept), and the
    // one the next value gets if it is an object (set by each key of a projected object).
    var topProjection = -1
    var pendingProjection = projection == nil ? -1 : 0
    while true {
      switch state {
      case .value:
        guard i < n else { throw Diagnostic(.invalidValue, "expected a JSON value", at: i) }
        switch p[i] {
        case 0x20, 0x09, 0x0A, 0x0D:  // whitespace (rare in compact JSON): still a value next
          i += 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          let isObject = p[i] == UInt8(ascii: "{")
          guard depth < maxDepth else {
            throw Diagnostic(
              .limitExceeded, "JSON nesting is deeper than \(maxDepth) levels", at: i)
          }
          if depth == openCapacity { growStack() }
          openIndex[depth] = tapeCount
          openCount[depth] = topCount
          openProjection[depth] = topProjection
          depth += 1
          topCount = 0
          topIsObject = isObject
          topProjection = isObject ? pendingProjection : -1
          pendingProjection = -1
          append(isObject ? .object : .array, payload: 0, 0)
          i = skipWhitespace(p, n, from: i + 1)
          if i < n, p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            closeContainer(&topCount, &topIsObject, &topProjection)
            i += 1
            state = .afterValue
          } else {
            state = isObject ? .key : .value
          }
        case UInt8(ascii: "\""):
          i = try scanString(p, n, quote: i)
          state = .afterValue
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
          i = try scanNumber(p, n, from: i)
          state = .afterValue
        case UInt8(ascii: "t"):
          i = try scanLiteral(p, n, from: i, "true", .true)
          state = .afterValue
        case UInt8(ascii: "f"):
          i = try scanLiteral(p, n, from: i, "false", .false)
          state = .afterValue
        case UInt8(ascii: "n"):
          i = try scanLiteral(p, n, from: i, "null", .null)
          state = .afterValue
        default:
          throw Diagnostic(.invalidValue, "expected a JSON value", at: i)
        }

      case .key:
        if topProjection >= 0, let projection {
          // The members of a projected object, without going round the state machine: the
          // ones nothing reads are passed over in a row without writing nodes. A name that
          // needs more than the plain scan (an escape, a non-ASCII byte) goes the general way
          // below.
          var next = State.key
          while true {
            if !(i < n && p[i] == UInt8(ascii: "\"")) {
              i = skipWhitespace(p, n, from: i)
              guard i < n, p[i] == UInt8(ascii: "\"") else {
                throw Diagnostic(.invalidValue, "expected a string as the object key", at: i)
              }
            }
            let stop = winnow_string_stop(p, i + 1, n)
            guard stop < n, p[stop] == UInt8(ascii: "\"") else { break }
            let name = p + i + 1
            let length = stop - i - 1
            let packed = JSONTape.packedLength(name, length)
            let child = projection.child(topProjection, name, length, packed: packed)
            var j = stop + 1
            if !(j < n && p[j] == UInt8(ascii: ":")) {
              j = skipWhitespace(p, n, from: j)
              guard j < n, p[j] == UInt8(ascii: ":") else {
                throw Diagnostic(.invalidValue, "expected ':' after the object key", at: j)
              }
            }
            if child != MemberProjection.Keys.absent {
              append(.string, payload: UInt64(i + 1), packed)
              i = j + 1
              pendingProjection = child
              next = .value
              break
            }
            j += 1
            // Strings and literals (most values) without the call.
            switch j < n ? p[j] : 0 {
            case UInt8(ascii: "\""):
              j = JSONSkipper.skipString(p, n, quote: j)
            case UInt8(ascii: "t"):
              j = JSONSkipper.matches(p, n, j, "true") ? j + 4 : -1
            case UInt8(ascii: "f"):
              j = JSONSkipper.matches(p, n, j, "false") ? j + 5 : -1
            default:
              j = JSONSkipper.skipValue(p, n, from: j, depth: depth, maxDepth: maxDepth)
            }
            guard j >= 0 else {
              throw Diagnostic(.invalidValue, "the projected parse declined a value", at: i)
            }
            i = j
            if i < n, p[i] == UInt8(ascii: ",") {
              i += 1
            } else {
              topCount -= 1  // `.afterValue` counts a member, and the last one has no nodes
              next = .afterValue
              break
            }
          }
          if next != .key {
            state = next
            continue
          }
        }
        // The expected byte is tested first; whitespace is skipped only when it is not there.
        if !(i < n && p[i] == UInt8(ascii: "\"")) {
          i = skipWhitespace(p, n, from: i)
          guard i < n, p[i] == UInt8(ascii: "\"") else {
            throw Diagnostic(.invalidValue, "expected a string as the object key", at: i)
          }
        }
        let quote = i
        i = try scanString(p, n, quote: i)
        let keyEnd = i
        if !(i < n && p[i] == UInt8(ascii: ":")) {
          i = skipWhitespace(p, n, from: i)
          guard i < n, p[i] == UInt8(ascii: ":") else {
            throw Diagnostic(.invalidValue, "expected ':' after the object key", at: i)
          }
        }
        i += 1
        state = .value
        if topProjection >= 0, let projection {
          // A decoded name might be a selected one: its value is kept whole.
          let child =
            tape[tapeCount - 2] & JSONTape.decodedFlag != 0
            ? -1
            : projection.child(
              topProjection, p + quote + 1, keyEnd - quote - 2, packed: tape[tapeCount - 1])
          if child == MemberProjection.Keys.absent {
            // A member nothing reads: drop its key node and pass over its value.
            tapeCount -= 2
            i = JSONSkipper.skipValue(p, n, from: i, depth: depth, maxDepth: maxDepth)
            guard i >= 0 else {
              throw Diagnostic(.invalidValue, "the projected parse declined a value", at: quote)
            }
            topCount -= 1  // `.afterValue` counts the member, which has no nodes
            state = .afterValue
          } else {
            pendingProjection = child
          }
        }

      case .afterValue:
        guard depth > 0 else { return i }
        topCount += 1
        if !(i < n && p[i] == UInt8(ascii: ",")) { i = skipWhitespace(p, n, from: i) }
        if i < n, p[i] == UInt8(ascii: ",") {
          i += 1
          state = topIsObject ? .key : .value
        } else if i < n, p[i] == (topIsObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          closeContainer(&topCount, &topIsObject, &topProjection)
          i += 1
        } else if topIsObject {
          throw Diagnostic(.invalidValue, "expected ',' or '}' after the object member", at: i)
        } else {
          throw Diagnostic(.invalidValue, "expected ',' or ']' after the array element", at: i)
        }
      }
    }
  }

  /// Writes an empty string node just past the document's last node, without counting it:
  /// event lookups use it for `Type` and the other string members when they are missing or
  /// null (see ``JSONView/emptyString``).
  mutating func appendEmptyStringSentinel() {
    let count = tapeCount
    append(.string, payload: JSONTape.decodedFlag, 0)
    tapeCount = count
  }

  /// Closes the innermost container, whose element count is `topCount`, and restores the
  /// count, kind and projection node of the one around it.
  @inline(__always)
  private mutating func closeContainer(
    _ topCount: inout Int, _ topIsObject: inout Bool, _ topProjection: inout Int
  ) {
    depth -= 1
    tape[openIndex[depth]] |= UInt64(tapeCount)
    tape[openIndex[depth] + 1] = UInt64(topCount)
    topCount = openCount[depth]
    topProjection = openProjection[depth]
    topIsObject = depth > 0 && JSONTape.kind(tape[openIndex[depth - 1]]) == .object
  }

  private mutating func growStack() {
    let index = UnsafeMutablePointer<Int>.allocate(capacity: openCapacity * 2)
    let count = UnsafeMutablePointer<Int>.allocate(capacity: openCapacity * 2)
    let projection = UnsafeMutablePointer<Int>.allocate(capacity: openCapacity * 2)
    index.update(from: openIndex, count: depth)
    count.update(from: openCount, count: depth)
    projection.update(from: openProjection, count: depth)
    openIndex.deallocate()
    openCount.deallocate()
    openProjection.deallocate()
    openIndex = index
    openCount = count
    openProjection = projection
    openCapacity *= 2
  }

  // MARK: - Scalars

  @inline(__always)
  private func skipWhitespace(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
    var i = start
    // Compact JSON has no whitespace between tokens: one compare settles the common case.
    while i < n, p[i] <= 0x20, ByteClass.isWhitespace(p[i]) { i += 1 }
    return i
  }

  private mutating func scanLiteral(
    _ p: UnsafePointer<UInt8>, _ n: Int, from i: Int, _ word: StaticString, _ kind: JSONKind
  ) throws(Diagnostic) -> Int {
    let length = word.utf8CodeUnitCount
    guard i + length <= n, memcmp(p + i, word.utf8Start, length) == 0 else {
      throw Diagnostic(.invalidValue, "expected a JSON value", at: i)
    }
    append(kind, payload: 0, 0)
    return i + length
  }

  /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  private mutating func scanNumber(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int)
    throws(Diagnostic)
    -> Int
  {
    var i = start
    let negative = p[i] == UInt8(ascii: "-")
    if negative { i += 1 }
    guard i < n, p[i] &- UInt8(ascii: "0") < 10 else {
      throw Diagnostic(.invalidValue, "expected a digit after '-'", at: i)
    }
    var mantissa: UInt64 = 0
    var digits = 0  // significant digits folded into `mantissa`
    var dropped = false  // a nonzero digit did not fit
    var exponent = 0
    if p[i] == UInt8(ascii: "0") {
      i += 1
      if i < n, p[i] &- UInt8(ascii: "0") < 10 {
        throw Diagnostic(.invalidValue, "a number must not have a leading zero", at: i)
      }
    } else {
      while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          if mantissa != 0 { digits += 1 }
        } else {
          exponent += 1
          if d != 0 { dropped = true }
        }
        i += 1
      }
    }
    if i < n, p[i] == UInt8(ascii: ".") {
      i += 1
      guard i < n, p[i] &- UInt8(ascii: "0") < 10 else {
        throw Diagnostic(.invalidValue, "expected a digit after '.' in the number", at: i)
      }
      while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          if mantissa != 0 { digits += 1 }
          exponent -= 1
        } else if d != 0 {
          dropped = true
        }
        i += 1
      }
    }
    if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      var exponentNegative = false
      if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
        exponentNegative = p[i] == UInt8(ascii: "-")
        i += 1
      }
      guard i < n, p[i] &- UInt8(ascii: "0") < 10 else {
        throw Diagnostic(.invalidValue, "expected a digit in the number's exponent", at: i)
      }
      var written = 0
      while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
        if written < 100_000_000 { written = written * 10 + Int(d) }
        i += 1
      }
      exponent += exponentNegative ? -written : written
    }
    let value: Double
    if !dropped, mantissa <= 1 << 53, (-22...22).contains(exponent) {
      // Exact: both the mantissa and the power of ten are exactly representable.
      let m = Double(mantissa)
      value =
        exponent >= 0
        ? m * TapeWriter.powersOfTen[exponent] : m / TapeWriter.powersOfTen[-exponent]
    } else {
      value = TapeWriter.strtod(p + start, count: i - start)
    }
    guard value.isFinite else {
      throw Diagnostic(.invalidValue, "number is outside the range of a 64-bit float", at: start)
    }
    append(.number, payload: UInt64(start), (negative ? -value : value).bitPattern)
    return i
  }

  private static let powersOfTen: [Double] = (0...22).map { e in
    var x = 1.0
    for _ in 0..<e { x *= 10 }
    return x
  }

  /// Correctly rounded conversion of a validated JSON number lexeme (its absolute value).
  private static func strtod(_ lexeme: UnsafePointer<UInt8>, count: Int) -> Double {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
      let skip = lexeme[0] == UInt8(ascii: "-") ? 1 : 0  // the sign is applied by the caller
      for k in skip..<count { buffer[k - skip] = CChar(bitPattern: lexeme[k]) }
      buffer[count - skip] = 0
      #if canImport(Glibc)
        return Glibc.strtod(buffer.baseAddress!, nil)
      #elseif canImport(Musl)
        return Musl.strtod(buffer.baseAddress!, nil)
      #else
        return Darwin.strtod(buffer.baseAddress!, nil)
      #endif
    }
  }

  // MARK: - Strings

  /// Reads a string whose opening quote is at `quote`; returns the offset past the closing one.
  ///
  /// Plain strings point into the source; others are decoded into `extra`. The common case, a run
  /// of plain ASCII up to the closing quote, is inlined into the parse loop.
  @inline(__always)
  private mutating func scanString(_ p: UnsafePointer<UInt8>, _ n: Int, quote: Int)
    throws(Diagnostic) -> Int
  {
    let stop = winnow_string_stop(p, quote + 1, n)
    if stop < n, p[stop] == UInt8(ascii: "\"") {
      appendString(payload: UInt64(quote + 1), p + quote + 1, stop - quote - 1)
      return stop + 1
    }
    return try scanStringRest(p, n, quote: quote, stop: stop)
  }

  /// The rest of ``scanString(_:_:quote:)`` from the first byte at `stop` that is not plain
  /// ASCII (or the end): UTF-8 sequences, escapes, control characters.
  @inline(never)
  private mutating func scanStringRest(_ p: UnsafePointer<UInt8>, _ n: Int, quote: Int, stop: Int)
    throws(Diagnostic) -> Int
  {
    var i = stop
    while true {
      i = winnow_string_stop(p, i, n)
      guard i < n else { break }
      let b = p[i]
      if b == UInt8(ascii: "\"") {
        appendString(payload: UInt64(quote + 1), p + quote + 1, i - quote - 1)
        return i + 1
      } else if b == UInt8(ascii: "\\") {
        return try decodeString(p, n, quote: quote, plainUpTo: i)
      } else if b < 0x20 {
        throw controlCharacter(b, at: i)
      } else {
        let length = UTF8Validation.sequenceLength(p, n, at: i)
        if length == 0 { return try decodeString(p, n, quote: quote, plainUpTo: i) }
        i += length
      }
    }
    throw Diagnostic(.invalidValue, "unterminated string", at: n)
  }

  private func controlCharacter(_ b: UInt8, at i: Int) -> Diagnostic {
    let hex = String(b, radix: 16, uppercase: true)
    let code = String(repeating: "0", count: 4 - hex.count) + hex
    return Diagnostic(
      .invalidValue, "control character U+\(code) must be escaped in a string", at: i)
  }

  /// The slow path: decodes escapes and replaces invalid UTF-8 bytes with U+FFFD.
  ///
  /// The bytes from the quote to `plainUpTo` are already known to be plain.
  private mutating func decodeString(
    _ p: UnsafePointer<UInt8>, _ n: Int, quote: Int, plainUpTo plainEnd: Int
  ) throws(Diagnostic) -> Int {
    reserveExtra(n - quote)
    let start = extraCount
    putRun(p + quote + 1, plainEnd - quote - 1)
    var i = plainEnd
    while true {
      let stop = winnow_string_copy_stop(p, i, n, extra + extraCount)
      extraCount += stop - i
      i = stop
      guard i < n else { break }
      let b = p[i]
      if b == UInt8(ascii: "\"") {
        appendString(
          payload: JSONTape.decodedFlag | UInt64(start), extra + start, extraCount - start)
        return i + 1
      } else if b == UInt8(ascii: "\\") {
        if i + 1 < n, let decoded = TapeWriter.simpleEscape(p[i + 1]) {
          putExtra(decoded)
          i += 2
        } else {
          i = try decodeEscape(p, n, at: i)
        }
      } else if b < 0x20 {
        throw controlCharacter(b, at: i)
      } else {
        let length = UTF8Validation.sequenceLength(p, n, at: i)
        if length == 0 {
          putScalar(0xFFFD)
          i += 1
        } else {
          putRun(p + i, length)
          i += length
        }
      }
    }
    throw Diagnostic(.invalidValue, "unterminated string", at: n)
  }

  @inline(__always)
  private mutating func putRun(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
    (extra + extraCount).update(from: bytes, count: count)
    extraCount += count
  }

  /// The byte a two-character escape (`\n`, `\"`, ...) stands for, given its second character;
  /// nil for `u` and for invalid escapes, which ``decodeEscape(_:_:at:)`` handles.
  @inline(__always)
  private static func simpleEscape(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): c
    case UInt8(ascii: "n"): 0x0A
    case UInt8(ascii: "t"): 0x09
    case UInt8(ascii: "r"): 0x0D
    case UInt8(ascii: "b"): 0x08
    case UInt8(ascii: "f"): 0x0C
    default: nil
    }
  }

  /// Decodes the escape at `i` (a backslash) into `extra`; returns the offset after it.
  private mutating func decodeEscape(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int)
    throws(Diagnostic)
    -> Int
  {
    guard i + 1 < n else { throw Diagnostic(.invalidValue, "unterminated string", at: n) }
    switch p[i + 1] {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): putExtra(p[i + 1])
    case UInt8(ascii: "b"): putExtra(0x08)
    case UInt8(ascii: "f"): putExtra(0x0C)
    case UInt8(ascii: "n"): putExtra(0x0A)
    case UInt8(ascii: "r"): putExtra(0x0D)
    case UInt8(ascii: "t"): putExtra(0x09)
    case UInt8(ascii: "u"):
      let unit = try hex4(p, n, at: i + 2)
      if (0xD800..<0xDC00).contains(unit), i + 11 < n, p[i + 6] == UInt8(ascii: "\\"),
        p[i + 7] == UInt8(ascii: "u"), let low = try? hex4(p, n, at: i + 8),
        (0xDC00..<0xE000).contains(low)
      {
        putScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        return i + 12
      }
      putScalar((0xD800..<0xE000).contains(unit) ? 0xFFFD : unit)
      return i + 6
    default:
      throw Diagnostic(.invalidValue, "invalid escape sequence in string", at: i + 1)
    }
    return i + 2
  }

  private func hex4(_ p: UnsafePointer<UInt8>, _ n: Int, at start: Int) throws(Diagnostic)
    -> UInt32
  {
    var value: UInt32 = 0
    for k in start..<start + 4 {
      guard k < n, let digit = ByteClass.hexValue(p[k]) else {
        throw Diagnostic(.invalidValue, "expected four hexadecimal digits after '\\u'", at: k)
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  // MARK: - Buffers

  /// Appends a string node: its location, and its length packed with its first four bytes
  /// (see ``JSONTape/packedLength(_:_:)``).
  @inline(__always)
  private mutating func appendString(
    payload: UInt64, _ bytes: UnsafePointer<UInt8>, _ count: Int
  ) {
    append(.string, payload: payload, JSONTape.packedLength(bytes, count))
  }

  @inline(__always)
  private mutating func append(_ kind: JSONKind, payload: UInt64, _ second: UInt64) {
    if tapeCount + 2 > tapeCapacity { growTape() }
    tape[tapeCount] = UInt64(kind.rawValue) << JSONTape.kindShift | payload
    tape[tapeCount + 1] = second
    tapeCount += 2
  }

  private mutating func growTape() {
    let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: tapeCapacity * 2)
    bigger.update(from: tape, count: tapeCount)
    tape.deallocate()
    tape = bigger
    tapeCapacity *= 2
  }

  /// Makes room for `count` more bytes in `extra`.
  private mutating func reserveExtra(_ count: Int) {
    // An escape or invalid byte decodes to at most 3 bytes per source byte (U+FFFD).
    let needed = extraCount + count * 3 + 4
    guard needed > extraCapacity else { return }
    let capacity = max(needed, extraCapacity * 2)
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    bigger.update(from: extra, count: extraCount)
    extra.deallocate()
    extra = bigger
    extraCapacity = capacity
  }

  @inline(__always)
  private mutating func putExtra(_ b: UInt8) {
    extra[extraCount] = b
    extraCount += 1
  }

  /// Writes a scalar as UTF-8 into `extra`.
  private mutating func putScalar(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      putExtra(UInt8(scalar))
    case 0x80..<0x800:
      putExtra(UInt8(0xC0 | scalar >> 6))
      putExtra(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      putExtra(UInt8(0xE0 | scalar >> 12))
      putExtra(UInt8(0x80 | scalar >> 6 & 0x3F))
      putExtra(UInt8(0x80 | scalar & 0x3F))
    default:
      putExtra(UInt8(0xF0 | scalar >> 18))
      putExtra(UInt8(0x80 | scalar >> 12 & 0x3F))
      putExtra(UInt8(0x80 | scalar >> 6 & 0x3F))
      putExtra(UInt8(0x80 | scalar & 0x3F))
    }
  }
}
