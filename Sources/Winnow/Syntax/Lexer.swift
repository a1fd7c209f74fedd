/// Splits filter text into ``Token``s, reading UTF-8 bytes in place.
///
/// Whitespace (space, tab, CR, LF) separates tokens and is skipped. The lexer holds only a
/// position: the parser can skip over a JSON value by moving ``position`` past it.
struct Lexer {
  /// The filter text; valid for as long as the lexer is used.
  let bytes: UnsafeBufferPointer<UInt8>
  /// The offset of the next byte to read.
  var position: Int = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// Whether `b` ends a word: whitespace or one of `=`, `(`, `)`, `,`.
  @inline(__always)
  static func endsWord(_ b: UInt8) -> Bool {
    switch b {
    case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "("), UInt8(ascii: ")"),
      UInt8(ascii: ","):
      true
    default:
      false
    }
  }

  /// Moves ``position`` past any whitespace.
  @inline(__always)
  mutating func skipWhitespace() {
    while position < bytes.count, ByteClass.isWhitespace(bytes[position]) { position += 1 }
  }

  /// Reads the next token.
  @discardableResult
  mutating func next() -> Token {
    skipWhitespace()
    let start = position
    guard start < bytes.count else { return Token(kind: .endOfInput, range: start..<start) }
    let kind: Token.Kind
    switch bytes[start] {
    case UInt8(ascii: "="): kind = .equals
    case UInt8(ascii: "("): kind = .leftParen
    case UInt8(ascii: ")"): kind = .rightParen
    case UInt8(ascii: ","): kind = .comma
    default:
      position += 1
      while position < bytes.count, !Lexer.endsWord(bytes[position]) { position += 1 }
      return Token(kind: .word, range: start..<position)
    }
    position += 1
    return Token(kind: kind, range: start..<position)
  }

  /// The next token, without consuming it.
  func peek() -> Token {
    var copy = self
    return copy.next()
  }

  /// The kind of the next token, without consuming it or scanning a whole word.
  func peekKind() -> Token.Kind {
    var i = position
    while i < bytes.count, ByteClass.isWhitespace(bytes[i]) { i += 1 }
    guard i < bytes.count else { return .endOfInput }
    switch bytes[i] {
    case UInt8(ascii: "="): return .equals
    case UInt8(ascii: "("): return .leftParen
    case UInt8(ascii: ")"): return .rightParen
    case UInt8(ascii: ","): return .comma
    default: return .word
    }
  }

  /// The bytes of `token`.
  func text(of token: Token) -> Slice<UnsafeBufferPointer<UInt8>> {
    bytes[token.range]
  }
}
