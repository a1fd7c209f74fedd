import Testing

@testable import Winnow

/// A JSON text that must parse, and the minified form it must print as.
struct AcceptCase: Sendable, CustomTestStringConvertible {
  let name: String
  let json: String
  let minified: String
  var testDescription: String { name }
}

/// A JSON text that must be rejected with a code and message, at the `1️⃣` marker.
struct RejectCase: Sendable, CustomTestStringConvertible {
  let name: String
  let marked: String
  let code: Diagnostic.Code
  let message: String
  var testDescription: String { name }
}

@Suite struct JSONParsingTests {
  static let accepted: [AcceptCase] = [
    AcceptCase(name: "null", json: "null", minified: "null"),
    AcceptCase(name: "true with whitespace", json: " \t\r\ntrue\n", minified: "true"),
    AcceptCase(name: "false", json: "false", minified: "false"),
    AcceptCase(name: "zero", json: "0", minified: "0"),
    AcceptCase(name: "negative zero keeps its lexeme", json: "-0", minified: "-0"),
    AcceptCase(name: "exponent with sign", json: "1E+2", minified: "1E+2"),
    AcceptCase(name: "small fraction with exponent", json: "0.1e-5", minified: "0.1e-5"),
    AcceptCase(name: "underflow reads as zero", json: "1e-400", minified: "1e-400"),
    AcceptCase(
      name: "largest float", json: "1.7976931348623157e308", minified: "1.7976931348623157e308"),
    AcceptCase(
      name: "long integer", json: "123456789012345678901234567890",
      minified: "123456789012345678901234567890"),
    AcceptCase(name: "empty string", json: #""""#, minified: #""""#),
    AcceptCase(
      name: "simple escapes", json: #""\"\\\/\b\f\n\r\t""#, minified: #""\"\\/\b\f\n\r\t""#),
    AcceptCase(name: "unicode escape", json: #""\u00e9""#, minified: "\"é\""),
    AcceptCase(name: "surrogate pair", json: #""\ud83d\ude00""#, minified: "\"😀\""),
    AcceptCase(name: "lone high surrogate", json: #""\ud800""#, minified: "\"\u{FFFD}\""),
    AcceptCase(name: "lone low surrogate", json: #""\udc00x""#, minified: "\"\u{FFFD}x\""),
    AcceptCase(
      name: "high surrogate then plain escape", json: #""\ud800\u0041""#, minified: "\"\u{FFFD}A\""),
    AcceptCase(
      name: "two high surrogates then low", json: #""\ud800\ud800\udc00""#,
      minified: "\"\u{FFFD}𐀀\""),
    AcceptCase(
      name: "control escape printed lowercase", json: #""\u001F""#, minified: #""\u001f""#),
    AcceptCase(
      name: "DEL and U+2028 stay raw", json: "\"\u{7F}\u{2028}\"", minified: "\"\u{7F}\u{2028}\""),
    AcceptCase(name: "empty array", json: "[ ]", minified: "[]"),
    AcceptCase(
      name: "whitespace around every token",
      json: " {\t\"a\" :\n[ 1 ,\r\n\"x\" , { } ] , \"b\"\t:\ttrue } ",
      minified: #"{"a":[1,"x",{}],"b":true}"#),
    AcceptCase(name: "empty object", json: "{ }", minified: "{}"),
    AcceptCase(
      name: "nested", json: #"{"a": [1, {"b": null}], "c": "d"}"#,
      minified: #"{"a":[1,{"b":null}],"c":"d"}"#),
    AcceptCase(
      name: "duplicate key keeps first place and last value", json: #"{"a":1,"b":2,"a":3}"#,
      minified: #"{"a":3,"b":2}"#),
    AcceptCase(
      name: "canonically equivalent keys stay distinct",
      json: #"{"\u00e9":1,"e\u0301":2,"\u00e9":3}"#, minified: "{\"\u{E9}\":3,\"e\u{301}\":2}"),
    AcceptCase(name: "non-ASCII text", json: "\"grüße ✓ 😀\"", minified: "\"grüße ✓ 😀\""),
  ]

  @Test(arguments: accepted)
  func accepts(_ c: AcceptCase) throws {
    let value = try JSONValue(parsing: c.json)
    #expect(value.minified == c.minified)
    #expect(try JSONValue(parsing: value.minified) == value, "printing round-trips")
  }

  static let rejected: [RejectCase] = [
    RejectCase(
      name: "empty text", marked: "1️⃣", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(
      name: "only whitespace", marked: "  1️⃣", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(
      name: "bare word", marked: "1️⃣foo", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(
      name: "truncated literal", marked: "1️⃣tru", code: .invalidValue,
      message: "expected a JSON value"),
    RejectCase(
      name: "single quotes", marked: "1️⃣'a'", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(name: "NaN", marked: "1️⃣NaN", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(
      name: "Infinity", marked: "-1️⃣Infinity", code: .invalidValue,
      message: "expected a digit after '-'"),
    RejectCase(
      name: "leading zero", marked: "01️⃣1", code: .invalidValue,
      message: "a number must not have a leading zero"),
    RejectCase(
      name: "negative leading zero", marked: "-01️⃣0", code: .invalidValue,
      message: "a number must not have a leading zero"),
    RejectCase(
      name: "trailing dot", marked: "1.1️⃣", code: .invalidValue,
      message: "expected a digit after '.' in the number"),
    RejectCase(
      name: "leading dot", marked: "1️⃣.5", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(
      name: "plus sign", marked: "1️⃣+1", code: .invalidValue, message: "expected a JSON value"),
    RejectCase(
      name: "empty exponent", marked: "1e1️⃣", code: .invalidValue,
      message: "expected a digit in the number's exponent"),
    RejectCase(
      name: "signed empty exponent", marked: "1e-1️⃣x", code: .invalidValue,
      message: "expected a digit in the number's exponent"),
    RejectCase(
      name: "overflow", marked: "1️⃣1e400", code: .invalidValue,
      message: "number is outside the range of a 64-bit float"),
    RejectCase(
      name: "negative overflow", marked: "1️⃣-1e309", code: .invalidValue,
      message: "number is outside the range of a 64-bit float"),
    RejectCase(
      name: "hex number", marked: "01️⃣x1F", code: .invalidValue,
      message: "unexpected text after the JSON value"),
    RejectCase(
      name: "trailing garbage", marked: "{} 1️⃣x", code: .invalidValue,
      message: "unexpected text after the JSON value"),
    RejectCase(
      name: "two values", marked: "1 1️⃣2", code: .invalidValue,
      message: "unexpected text after the JSON value"),
    RejectCase(
      name: "unterminated string", marked: #""abc"# + "1️⃣", code: .invalidValue,
      message: "unterminated string"),
    RejectCase(
      name: "raw newline in string", marked: "\"a1️⃣\nb\"", code: .invalidValue,
      message: "control character U+000A must be escaped in a string"),
    RejectCase(
      name: "raw tab in string", marked: "\"1️⃣\t\"", code: .invalidValue,
      message: "control character U+0009 must be escaped in a string"),
    RejectCase(
      name: "unknown escape", marked: #""a\"# + "1️⃣" + #"x""#, code: .invalidValue,
      message: "invalid escape sequence in string"),
    RejectCase(
      name: "short unicode escape", marked: #""\u12"# + "1️⃣" + #"x""#, code: .invalidValue,
      message: "expected four hexadecimal digits after '\\u'"),
    RejectCase(
      name: "trailing comma in array", marked: "[1,1️⃣]", code: .invalidValue,
      message: "expected a JSON value"),
    RejectCase(
      name: "trailing comma in object", marked: #"{"a":1,1️⃣}"#, code: .invalidValue,
      message: "expected a string as the object key"),
    RejectCase(
      name: "unquoted key", marked: "{1️⃣a:1}", code: .invalidValue,
      message: "expected a string as the object key"),
    RejectCase(
      name: "missing colon", marked: #"{"a" 1️⃣1}"#, code: .invalidValue,
      message: "expected ':' after the object key"),
    RejectCase(
      name: "unquoted key after whitespace", marked: "{ \t1️⃣a:1}", code: .invalidValue,
      message: "expected a string as the object key"),
    RejectCase(
      name: "key at the end after whitespace", marked: "{\"a\":1,\n1️⃣", code: .invalidValue,
      message: "expected a string as the object key"),
    RejectCase(
      name: "colon missing at the end", marked: "{\"a\" 1️⃣", code: .invalidValue,
      message: "expected ':' after the object key"),
    RejectCase(
      name: "missing comma in array", marked: "[1 1️⃣2]", code: .invalidValue,
      message: "expected ',' or ']' after the array element"),
    RejectCase(
      name: "missing comma in object", marked: #"{"a":1 1️⃣"b":2}"#, code: .invalidValue,
      message: "expected ',' or '}' after the object member"),
    RejectCase(
      name: "unclosed array", marked: "[1, 21️⃣", code: .invalidValue,
      message: "expected ',' or ']' after the array element"),
    RejectCase(
      name: "mismatched bracket", marked: "[1️⃣}", code: .invalidValue,
      message: "expected a JSON value"),
    RejectCase(
      name: "byte order mark", marked: "1️⃣\u{FEFF}{}", code: .invalidValue,
      message: "a byte order mark is not allowed before JSON"),
    RejectCase(
      name: "comment", marked: "1️⃣// x\n1", code: .invalidValue, message: "expected a JSON value"),
  ]

  @Test(arguments: rejected)
  func rejects(_ c: RejectCase) {
    let input = MarkedText(c.marked)
    #expect(throws: Diagnostic(c.code, c.message, at: input.offset!)) {
      try JSONValue(parsing: input.text)
    }
  }

  @Test func numbersReadAsNearestFloat() throws {
    let cases: [(String, Double)] = [
      ("0.1", 0.1), ("1e0", 1), ("-2.5E-3", -0.0025),
      ("123456789012345678", 123_456_789_012_345_680),
      ("9007199254740993", 9_007_199_254_740_992), ("1e-400", 0),
      ("2.2250738585072011e-308", Double.leastNormalMagnitude.nextDown),
      ("5e-324", .leastNonzeroMagnitude), ("1e-30", 1e-30), ("-1e-30", -1e-30),
      ("0.30000000000000004", 0.30000000000000004), ("1e22", 1e22), ("1e23", 1e23),
      ("3.141592653589793238462643383279", 3.141592653589793),
    ]
    for (text, expected) in cases {
      guard case .number(let n) = try JSONValue(parsing: text) else {
        Issue.record("\(text) is not a number")
        continue
      }
      #expect(n.value == expected, "\(text)")
      #expect(n.lexeme == text)
    }
  }

  @Test func invalidUTF8ReadsAsOneReplacementPerByte() throws {
    let cases: [([UInt8], String)] = [
      ([0x22, 0xFF, 0x22], "\u{FFFD}"),
      ([0x22, 0x61, 0xC3, 0x22], "a\u{FFFD}"),  // truncated two-byte sequence
      ([0x22, 0xE2, 0x82, 0x41, 0x22], "\u{FFFD}\u{FFFD}A"),  // truncated three-byte sequence
      ([0x22, 0xED, 0xA0, 0x80, 0x22], "\u{FFFD}\u{FFFD}\u{FFFD}"),  // encoded surrogate
      ([0x22, 0xC0, 0xAF, 0x22], "\u{FFFD}\u{FFFD}"),  // overlong
      ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),  // above U+10FFFF
      ([0x22, 0x5C, 0x6E, 0xFF, 0x22], "\n\u{FFFD}"),  // with an escape too
    ]
    for (bytes, expected) in cases {
      #expect(try JSONValue(parsing: bytes) == .string(expected), "\(bytes)")
    }
  }

  @Test func nestingLimitIsEnforcedAtTheOpeningBracket() throws {
    let limits = JSONLimits(maxDepth: 512)
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect(throws: Never.self) { try JSONValue(parsing: ok, limits: limits) }
    let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    #expect(throws: Diagnostic(.limitExceeded, "JSON nesting is deeper than 512 levels", at: 512)) {
      try JSONValue(parsing: deep, limits: limits)
    }
    let objects = String(repeating: #"{"a":"#, count: 4) + "1" + String(repeating: "}", count: 4)
    #expect(throws: Diagnostic(.limitExceeded, "JSON nesting is deeper than 3 levels", at: 15)) {
      try JSONValue(parsing: objects, limits: JSONLimits(maxDepth: 3))
    }
  }

  @Test func hugeNestingFailsCleanlyWithoutRecursion() {
    let deep = String(repeating: "[", count: 1_000_000)
    #expect(throws: Diagnostic(.limitExceeded, "JSON nesting is deeper than 512 levels", at: 512)) {
      try JSONDocument(parsing: deep)
    }
  }

  @Test func documentKeepsKindAndValue() throws {
    let document = try JSONDocument(parsing: #"{"Type":"machines","n":[1,2.5,"x\"y"]}"#)
    #expect(document.kind == .object)
    #expect(document.value == ["Type": "machines", "n": [1, 2.5, "x\"y"]])
    #expect(JSONDocument(document.value).value == document.value)
  }
}
