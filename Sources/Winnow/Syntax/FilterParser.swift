/// The parser of the filter language (SPEC section 3): UTF-8 bytes in, a ``Term`` or the first
/// ``Diagnostic`` out.
///
/// Each production has its own function, which quotes it. Terms nest through connectives; the
/// nesting is kept on an explicit stack of open connectives rather than on the call stack, so no
/// input and no configured limit can overflow the stack while parsing. Values are not tokens: in
/// value position the parser hands the text to the JSON parser and skips what it read.
struct FilterParser {
  var lexer: Lexer
  let limits: ParseLimits
  /// Terms started so far, combinators included, in reading order.
  var termCount = 0
  /// Reads the filter's JSON values; made on the first value and reused for the others.
  private(set) lazy var valueReader = JSONTapeBuilder(
    limits: JSONLimits(maxDepth: limits.effectiveMaxJSONDepth))

  /// The filter text.
  var source: UnsafeBufferPointer<UInt8> { lexer.bytes }

  init(_ bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits) {
    lexer = Lexer(bytes)
    self.limits = limits
  }

  /// Parses `bytes` as a filter.
  ///
  /// Checks, in order: the size limit, UTF-8 validity, the grammar (with the depth, term and JSON
  /// limits checked as they are reached).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits) throws(Diagnostic)
    -> Term
  {
    guard bytes.count <= limits.maxBytes else {
      throw Diagnostic(
        .limitExceeded, "the filter is longer than \(limits.maxBytes) bytes",
        at: max(0, limits.maxBytes))
    }
    if let invalid = UTF8Validation.firstInvalidOffset(bytes) {
      throw Diagnostic(.invalidEncoding, "the filter is not valid UTF-8", at: invalid)
    }
    var parser = FilterParser(bytes, limits: limits)
    return try parser.parseFilter()
  }

  // MARK: - Productions

  /// Parses a whole filter: one term and nothing after it.
  ///
  ///     filter := term
  mutating func parseFilter() throws(Diagnostic) -> Term {
    let term = try parseTerm()
    let token = lexer.next()
    guard token.kind == .endOfInput else {
      throw Diagnostic(
        .unexpectedToken, "unexpected text after the end of the filter", at: token.start)
    }
    return term
  }

  /// Parses one term, with every term nested inside it.
  ///
  ///     term := connective | fieldTerm
  ///
  /// Instead of recursing into the operands of a connective, the open connectives wait on a
  /// stack: a term that completes is added to the innermost one, which then either takes
  /// another operand or closes and becomes the completed term of the one around it.
  mutating func parseTerm() throws(Diagnostic) -> Term {
    var open: [OpenConnective] = []
    while true {
      var term: Term
      switch try parseTermStart(level: open.count + 1) {
      case .opened(let connective):
        open.append(OpenConnective(connective: connective))
        continue
      case .complete(let fieldTerm):
        term = fieldTerm
      }
      while let innermost = open.indices.last {
        open[innermost].operands.append(term)
        guard try parseAfterOperand(of: open[innermost].connective) else { break }
        term = open.removeLast().term
      }
      if open.isEmpty { return term }
    }
  }

  /// Reads the beginning of a term: a connective's name and its `(`, or a whole field term.
  ///
  /// `level` is the nesting level the term sits at (the outermost term is level 1).
  ///
  ///     term := connective | fieldTerm
  ///
  /// One token of lookahead decides: a word followed by `(` names a connective (an unknown one
  /// is an error); any other word is a field.
  mutating func parseTermStart(level: Int) throws(Diagnostic) -> TermStart {
    let token = lexer.next()
    // Both limits are checked before anything else is read, at the term's first byte.
    guard level <= limits.effectiveMaxDepth else {
      throw Diagnostic(
        .limitExceeded, "terms are nested deeper than \(limits.effectiveMaxDepth) levels",
        at: token.start)
    }
    termCount += 1
    guard termCount <= limits.maxTerms else {
      throw Diagnostic(
        .limitExceeded, "the filter has more than \(limits.maxTerms) terms", at: token.start)
    }
    guard token.kind == .word else {
      throw Diagnostic(
        .unexpectedToken, #"expected a term such as 'And(' or 'Name=Eq("x")'"#, at: token.start)
    }
    guard lexer.peekKind() == .leftParen else {
      return .complete(try parseFieldTerm(field: token))
    }
    let connective = try parseConnectiveName(token)
    _ = lexer.next()  // the `(`
    let next = lexer.peek()
    if next.kind == .rightParen {
      throw Diagnostic(.unexpectedToken, connective.arityMessage, at: next.start)
    }
    return .opened(connective)
  }

  /// Reads what follows an operand of an open connective: `,` before another operand, or the
  /// closing `)`.
  ///
  /// Returns true when the connective is closed.
  ///
  ///     connective := ("And" | "Or") "(" term { "," term } ")"
  ///                 | "Not" "(" term ")"
  mutating func parseAfterOperand(of connective: Connective) throws(Diagnostic) -> Bool {
    let token = lexer.next()
    switch (connective, token.kind) {
    case (_, .rightParen):
      return true
    case (.not, .comma):
      throw Diagnostic(.unexpectedToken, connective.arityMessage, at: token.start)
    case (.not, _):
      throw Diagnostic(.unexpectedToken, "expected ')' after the term of Not", at: token.start)
    case (_, .comma):
      return false
    default:
      throw Diagnostic(
        .unexpectedToken, "expected ',' or ')' in the terms of \(connective.rawValue)",
        at: token.start)
    }
  }

  /// The connective named by `word` (which a `(` follows), or an error naming the closest one.
  func parseConnectiveName(_ word: Token) throws(Diagnostic) -> Connective {
    let bytes = lexer.text(of: word)
    if let connective = Connective(bytes: bytes) { return connective }
    let name = String(decoding: bytes, as: UTF8.self)
    if TestName(bytes: bytes) != nil {
      throw Diagnostic(
        .unknownName,
        "unknown combinator '\(name)': a test follows a field and '=', as in 'Name=\(name)(...)'",
        at: word.start)
    }
    throw Diagnostic(
      .unknownName, "unknown combinator '\(name)'", at: word.start,
      suggestion: Suggestion.closest(to: name, among: Connective.allCases.map(\.rawValue)))
  }

  // MARK: - Helpers

  /// Reads the next token, which must be of `kind`; otherwise fails with "expected \(what)" at
  /// the token that was found.
  @discardableResult
  mutating func expect(_ kind: Token.Kind, _ what: @autoclosure () -> String) throws(Diagnostic)
    -> Token
  {
    let token = lexer.next()
    guard token.kind == kind else {
      throw Diagnostic(.unexpectedToken, "expected \(what())", at: token.start)
    }
    return token
  }
}

/// A connective whose `(` has been read and whose operands are being collected.
struct OpenConnective {
  let connective: Connective
  var operands: [Term] = []

  /// The finished term, once the `)` has been read.
  var term: Term {
    switch connective {
    case .and: .and(operands)
    case .or: .or(operands)
    case .not: .not(operands[0])
    }
  }
}

/// What the start of a term turned out to be.
enum TermStart {
  /// A connective and its `(`: its operands follow.
  case opened(Connective)
  /// A field term, read completely.
  case complete(Term)
}

extension Connective {
  /// The error for a wrong number of operands.
  var arityMessage: String {
    self == .not ? "Not takes exactly one term" : "\(rawValue) takes one or more terms"
  }
}
