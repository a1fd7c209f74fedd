/// A lexical token of the filter language: its kind and the UTF-8 byte range it spans.
///
/// Tokens carry no text, and JSON values are not tokens: in value position the parser hands the
/// bytes to the JSON parser (only the grammar knows that `true` there is a value).
struct Token: Equatable, Sendable {
  /// What a token is.
  enum Kind: Equatable, Sendable {
    /// Bytes up to `=`, `(`, `)`, `,` or whitespace: a combinator, a test name or a field.
    case word
    case equals, leftParen, rightParen, comma
    /// The end of the text; its range is empty and sits one past the last byte.
    case endOfInput
  }

  var kind: Kind
  var range: Range<Int>

  /// The offset of the token's first byte, where a caret pointing at it goes.
  var start: Int { range.lowerBound }
}
