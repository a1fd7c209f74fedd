import Testing

@testable import Winnow

/// Text and the tokens it splits into, written as `kind@start..<end`.
struct LexCase: Sendable, CustomTestStringConvertible {
  let name: String
  let text: String
  let tokens: [String]
  var testDescription: String { name }
}

@Suite struct LexerTests {
  static let cases: [LexCase] = [
    LexCase(name: "empty", text: "", tokens: ["end@0..<0"]),
    LexCase(name: "only whitespace", text: " \t\r\n", tokens: ["end@4..<4"]),
    LexCase(
      name: "field term", text: "a.b=Eq(1)",
      tokens: [
        "word@0..<3", "=@3..<4", "word@4..<6", "(@6..<7", "word@7..<8", ")@8..<9", "end@9..<9",
      ]),
    LexCase(
      name: "whitespace between tokens", text: " And ( x ,\ty )\n",
      tokens: [
        "word@1..<4", "(@5..<6", "word@7..<8", ",@9..<10", "word@11..<12", ")@13..<14",
        "end@15..<15",
      ]),
    LexCase(
      name: "words end only at delimiters and whitespace", text: #"{"a":[1]}"#,
      tokens: [#"word@0..<9"#, "end@9..<9"]),
    LexCase(
      name: "quotes do not group a word", text: #""a b""#,
      tokens: ["word@0..<2", "word@3..<5", "end@5..<5"]),
    LexCase(
      name: "non-ASCII bytes are word bytes", text: "é=✓",
      tokens: ["word@0..<2", "=@2..<3", "word@3..<6", "end@6..<6"]),
    LexCase(
      name: "other whitespace is part of a word", text: "a\u{0B}b\u{A0}c",
      tokens: ["word@0..<6", "end@6..<6"]),
    LexCase(
      name: "delimiters alone", text: "=(),",
      tokens: ["=@0..<1", "(@1..<2", ")@2..<3", ",@3..<4", "end@4..<4"]),
  ]

  static func describe(_ token: Token) -> String {
    let kind =
      switch token.kind {
      case .word: "word"
      case .equals: "="
      case .leftParen: "("
      case .rightParen: ")"
      case .comma: ","
      case .endOfInput: "end"
      }
    return "\(kind)@\(token.range.lowerBound)..<\(token.range.upperBound)"
  }

  @Test(arguments: cases)
  func splitsIntoTokens(_ c: LexCase) {
    let bytes = Array(c.text.utf8)
    bytes.withUnsafeBufferPointer { buffer in
      var lexer = Lexer(buffer)
      var tokens: [String] = []
      while true {
        let peekedKind = lexer.peekKind()
        let peeked = lexer.peek()
        let token = lexer.next()
        #expect(peeked == token, "peek agrees with next")
        #expect(peekedKind == token.kind, "peekKind agrees with next")
        tokens.append(LexerTests.describe(token))
        if token.kind == .endOfInput { break }
      }
      #expect(tokens == c.tokens)
    }
  }

  @Test func keywordsMatchBytesExactly() {
    func bytes(_ s: String, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Void) {
      Array(s.utf8).withUnsafeBufferPointer { body($0[...]) }
    }
    for connective in Connective.allCases {
      bytes(connective.rawValue) { #expect(Connective(bytes: $0) == connective) }
      bytes(connective.rawValue.lowercased()) { #expect(Connective(bytes: $0) == nil) }
    }
    for test in TestName.allCases {
      bytes(test.rawValue) { #expect(TestName(bytes: $0) == test) }
      bytes(test.rawValue.uppercased()) { #expect(TestName(bytes: $0) == nil) }
      bytes(test.rawValue + "s") { #expect(TestName(bytes: $0) == nil) }
    }
    bytes("") { #expect(TestName(bytes: $0) == nil) }
    bytes("Nor") { #expect(Connective(bytes: $0) == nil) }
  }

  @Test func suggestions() {
    let tests = TestName.allCases.map(\.rawValue)
    #expect(Suggestion.closest(to: "eq", among: tests) == "Eq")
    #expect(Suggestion.closest(to: "NIN", among: tests) == "Nin")
    #expect(Suggestion.closest(to: "Exist", among: tests) == "Exists")
    #expect(Suggestion.closest(to: "Exsits", among: tests) == "Exists")
    #expect(Suggestion.closest(to: "Chaanged", among: tests) == "Changed")
    #expect(Suggestion.closest(to: "Equals", among: tests) == nil)
    #expect(Suggestion.closest(to: "E", among: tests) == nil, "one letter is too short to correct")
    #expect(Suggestion.editDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
    #expect(Suggestion.quoted("a\"b\n".utf8) == #""a\"b\n""#)
  }
}
