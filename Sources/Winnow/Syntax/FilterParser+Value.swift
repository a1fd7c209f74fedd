// Values: JSON text read in place by the JSON parser, with hints for common mistakes.

extension FilterParser {
  /// Reads one JSON value as an argument of `test`; returns it with the range of its text.
  ///
  ///     value := a JSON value (RFC 8259): string, number, true, false, null, array, object
  ///
  /// A value is not a token: the JSON parser reads it from the current offset, reports its
  /// errors at the offending byte inside it, and the lexer continues after it.
  mutating func parseValue(in test: TestName) throws(Diagnostic) -> (
    value: JSONValue, range: Range<Int>
  ) {
    // Every JSON value starts with a byte the lexer would read as a word. A missing value
    // (`)`, `,` or the end) is a grammar error; `=` or `(` where a value belongs is a bad value.
    switch lexer.peekKind() {
    case .word:
      break
    case .equals, .leftParen:
      throw Diagnostic(.invalidValue, "expected a JSON value", at: lexer.peek().start)
    case .rightParen, .comma, .endOfInput:
      throw Diagnostic(
        .unexpectedToken, "expected a JSON value in the arguments of \(test.rawValue)",
        at: lexer.peek().start)
    }
    lexer.skipWhitespace()
    let start = lexer.position
    let parsed: (value: JSONValue, end: Int)
    do {
      parsed = try JSONValue.parsePrefix(of: source, from: start, using: valueReader)
    } catch {
      throw notJSON(at: start) ?? error
    }
    // `nullable` or `true1` would otherwise read as a literal followed by stray text.
    switch parsed.value {
    case .null, .bool:
      if parsed.end < source.count, FilterParser.continuesName(source[parsed.end]) {
        throw notJSON(at: start)!
      }
    default:
      break
    }
    lexer.position = parsed.end
    return (parsed.value, start..<parsed.end)
  }

  /// A clearer diagnostic than the JSON parser's for text at `start` that is no JSON value at all:
  /// a bare word (suggesting it quoted), a single-quoted string (suggesting double quotes), NaN or
  /// an infinity.
  ///
  /// Nil when the text is none of these.
  func notJSON(at start: Int) -> Diagnostic? {
    var end = start
    while end < source.count, !Lexer.endsWord(source[end]) { end += 1 }
    let word = source[start..<end]
    guard let first = word.first else { return nil }
    if ["NaN", "Infinity", "-Infinity", "+Infinity"].contains(
      where: { $0.utf8.elementsEqual(word) })
    {
      return Diagnostic(.invalidValue, "JSON numbers cannot be NaN or infinite", at: start)
    }
    if first == UInt8(ascii: "'") {
      // The suggestion keeps what lies up to the next single quote, which may be past a space.
      guard let close = source[(start + 1)...].firstIndex(of: UInt8(ascii: "'")) else {
        return Diagnostic(.invalidValue, "JSON strings are written in double quotes", at: start)
      }
      return Diagnostic(
        .invalidValue, "JSON strings are written in double quotes", at: start,
        suggestion: Suggestion.quoted(source[(start + 1)..<close]))
    }
    guard FilterParser.startsName(first) else { return nil }
    return Diagnostic(
      .invalidValue, "expected a JSON value", at: start, suggestion: Suggestion.quoted(word))
  }

  /// Whether a bare word can start with `b`: an ASCII letter, `_`, or a non-ASCII byte.
  static func startsName(_ b: UInt8) -> Bool {
    (b | 0x20) &- UInt8(ascii: "a") < 26 || b == UInt8(ascii: "_") || b >= 0x80
  }

  /// Whether `b` can continue a bare word: as above, or a digit, `-` or `.`.
  static func continuesName(_ b: UInt8) -> Bool {
    startsName(b) || b &- UInt8(ascii: "0") < 10 || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
  }
}
