// The field side of the grammar: `field "=" test` and the arguments of each test.

extension FilterParser {
  /// Parses a field term whose field is the word `field`.
  ///
  ///     fieldTerm := field "=" test
  mutating func parseFieldTerm(field: Token) throws(Diagnostic) -> Term {
    let path = try FieldPath(parsing: ArraySlice(lexer.text(of: field)), at: field.start)
    try expect(.equals, "'=' after the field '\(path.text)'")
    return .field(path, try parseTest())
  }

  /// Parses the test of a field term, after its `=`.
  ///
  ///     test := "Exists" "(" ")"
  ///           | "Eq" "(" value ")" | "Ne" "(" value ")"
  ///           | "Re" "(" string ")"
  ///           | "In" "(" values ")" | "Nin" "(" values ")"
  ///           | "Changed" "(" changedSlots ")"
  mutating func parseTest() throws(Diagnostic) -> FieldTest {
    let word = lexer.next()
    let bytes = lexer.text(of: word)
    // A word that cannot start a name (`"x"`, `1`) is most likely a value missing its test.
    guard word.kind == .word, let first = bytes.first, FilterParser.startsName(first) else {
      throw Diagnostic(
        .unexpectedToken, "expected a test such as 'Eq(' or 'Exists(' after '='", at: word.start)
    }
    guard let test = TestName(bytes: bytes) else {
      let name = String(decoding: bytes, as: UTF8.self)
      throw Diagnostic(
        .unknownName,
        "unknown test '\(name)' (the tests are \(TestName.allCases.map(\.rawValue).joined(separator: ", ")))",
        at: word.start,
        suggestion: Suggestion.closest(to: name, among: TestName.allCases.map(\.rawValue)))
    }
    try expect(.leftParen, "'(' after \(test.rawValue)")
    switch test {
    case .exists:
      try parseNoArguments()
      return .exists
    case .eq:
      return .eq(try parseSingleValue(of: test))
    case .ne:
      return .ne(try parseSingleValue(of: test))
    case .re:
      return .re(try parsePattern())
    case .in:
      return .in(try parseValues(of: test))
    case .nin:
      return .nin(try parseValues(of: test))
    case .changed:
      let slots = try parseChangedSlots()
      return .changed(from: slots.from, to: slots.to)
    }
  }

  /// Reads the `)` of `Exists(`.
  ///
  ///     "Exists" "(" ")"
  mutating func parseNoArguments() throws(Diagnostic) {
    let token = lexer.next()
    switch token.kind {
    case .rightParen:
      return
    case .endOfInput:
      throw Diagnostic(.unexpectedToken, "expected ')' after 'Exists('", at: token.start)
    default:
      throw Diagnostic(.unexpectedToken, "Exists takes no arguments", at: token.start)
    }
  }

  /// Reads the one value of `Eq` or `Ne` and the closing `)`.
  ///
  ///     "Eq" "(" value ")"
  mutating func parseSingleValue(of test: TestName) throws(Diagnostic) -> JSONValue {
    try rejectEmptyArguments(of: test, "\(test.rawValue) takes exactly one value")
    let value = try parseValue(in: test).value
    try parseClosingParen(of: test)
    return value
  }

  /// Reads the pattern of `Re`, compiles it and reads the closing `)`.
  ///
  ///     "Re" "(" string ")"
  mutating func parsePattern() throws(Diagnostic) -> RE2Pattern {
    let wanted = "Re takes a JSON string holding a regular expression"
    try rejectEmptyArguments(of: .re, wanted)
    // Anything but a string is rejected at its first byte, before it is read: the error must
    // not depend on what the value holds or on the JSON limits.
    if lexer.peekKind() == .word {
      lexer.skipWhitespace()
      if source[lexer.position] != UInt8(ascii: "\"") {
        throw Diagnostic(.invalidValue, wanted, at: lexer.position)
      }
    }
    let start = lexer.position
    let value: JSONValue
    let literal: Range<Int>
    do {
      (value, literal) = try parseValue(in: .re)
    } catch {
      throw regexEscapeHint(for: error, inLiteralAt: start) ?? error
    }
    guard case .string(let text) = value else {
      throw Diagnostic(.invalidValue, wanted, at: literal.lowerBound)
    }
    let pattern: RE2Pattern
    do {
      pattern = try RE2Pattern(re2: text)
    } catch {
      let offsets = StringLiteralOffsets(source[literal])
      throw Diagnostic(
        .invalidRegex, error.message, at: offsets.sourceOffset(ofDecoded: error.offset))
    }
    try parseClosingParen(of: .re)
    return pattern
  }

  /// For a JSON string of `Re` that holds a regex escape JSON does not know (`"^node-\d+$"`),
  /// a diagnostic saying to double the backslash, suggesting the literal with every such
  /// backslash doubled; nil for other errors.
  func regexEscapeHint(for error: Diagnostic, inLiteralAt start: Int) -> Diagnostic? {
    var quote = start
    while quote < source.count, ByteClass.isWhitespace(source[quote]) { quote += 1 }
    let escape = error.offset - 1
    guard error.code == .invalidValue, quote < source.count, source[quote] == UInt8(ascii: "\""),
      escape > quote, error.offset < source.count, source[escape] == UInt8(ascii: "\\")
    else { return nil }
    // The escaped character, whole (it may be any scalar).
    let length =
      source[error.offset] < 0x80
      ? 1
      : max(1, UTF8Validation.sequenceLength(source.baseAddress!, source.count, at: error.offset))
    let character = String(
      decoding: source[error.offset..<min(source.count, error.offset + length)], as: UTF8.self)
    return Diagnostic(
      .invalidValue,
      "'\\\(character)' is not a JSON string escape: in the string of Re, a regex escape takes "
        + "two backslashes, '\\\\\(character)'",
      at: error.offset, suggestion: doublingRegexEscapes(ofLiteralAt: quote))
  }

  /// The string literal at `quote` with each backslash that does not start a JSON escape
  /// doubled, or nil when the literal has no closing quote on its line.
  private func doublingRegexEscapes(ofLiteralAt quote: Int) -> String? {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    var i = quote + 1
    while i < source.count {
      let b = source[i]
      switch b {
      case UInt8(ascii: "\""):
        out.append(b)
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard i + 1 < source.count else { return nil }
        let next = source[i + 1]
        // A JSON escape stays; any other backslash is doubled.
        out += "\"\\/bfnrtu".utf8.contains(next) ? [b, next] : [b, b, next]
        i += 2
      case 0x0A, 0x0D:
        return nil
      default:
        out.append(b)
        i += 1
      }
    }
    return nil
  }

  /// Reads the values of `In` or `Nin` and the closing `)`.
  ///
  ///     values := value { "," value }
  mutating func parseValues(of test: TestName) throws(Diagnostic) -> [JSONValue] {
    try rejectEmptyArguments(of: test, "\(test.rawValue) takes one or more values")
    var values: [JSONValue] = []
    while true {
      values.append(try parseValue(in: test).value)
      let token = lexer.next()
      switch token.kind {
      case .comma:
        continue
      case .rightParen:
        return values
      default:
        throw Diagnostic(
          .unexpectedToken, "expected ',' or ')' in the values of \(test.rawValue)",
          at: token.start)
      }
    }
  }

  /// Reads the slots of `Changed` and the closing `)`.
  ///
  /// An empty slot is not given.
  ///
  ///     changedSlots := [ value ] [ "," [ value ] ]
  mutating func parseChangedSlots() throws(Diagnostic) -> (from: JSONValue?, to: JSONValue?) {
    var from: JSONValue?
    var to: JSONValue?
    switch lexer.peekKind() {
    case .rightParen:
      lexer.next()
      return (nil, nil)
    case .comma:
      break
    case .word:
      from = try parseValue(in: .changed).value
    default:
      throw Diagnostic(
        .unexpectedToken, "expected a JSON value, ',' or ')' in the arguments of Changed",
        at: lexer.peek().start)
    }
    let separator = lexer.next()
    switch separator.kind {
    case .rightParen:
      return (from, nil)
    case .comma:
      break
    default:
      throw Diagnostic(
        .unexpectedToken, "expected ',' or ')' in the arguments of Changed", at: separator.start)
    }
    switch lexer.peekKind() {
    case .rightParen:
      lexer.next()
      return (from, nil)
    case .word:
      to = try parseValue(in: .changed).value
    case .comma:
      throw Diagnostic(.unexpectedToken, "Changed takes at most two values", at: lexer.peek().start)
    default:
      throw Diagnostic(
        .unexpectedToken, "expected a JSON value or ')' in the arguments of Changed",
        at: lexer.peek().start)
    }
    let close = lexer.next()
    switch close.kind {
    case .rightParen:
      return (from, to)
    case .comma:
      throw Diagnostic(.unexpectedToken, "Changed takes at most two values", at: close.start)
    default:
      throw Diagnostic(
        .unexpectedToken, "expected ')' after the arguments of Changed", at: close.start)
    }
  }

  // MARK: - Around values

  /// Fails with `message` at a `)` that directly follows the `(` of `test`.
  func rejectEmptyArguments(of test: TestName, _ message: @autoclosure () -> String)
    throws(Diagnostic)
  {
    let next = lexer.peek()
    if next.kind == .rightParen {
      throw Diagnostic(.unexpectedToken, message(), at: next.start)
    }
  }

  /// Reads the `)` after the single argument of `test`.
  mutating func parseClosingParen(of test: TestName) throws(Diagnostic) {
    let token = lexer.next()
    switch token.kind {
    case .rightParen:
      return
    case .comma:
      throw Diagnostic(
        .unexpectedToken, "\(test.rawValue) takes exactly one value", at: token.start)
    default:
      throw Diagnostic(
        .unexpectedToken, "expected ')' after the arguments of \(test.rawValue)", at: token.start)
    }
  }
}
