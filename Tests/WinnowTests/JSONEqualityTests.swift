import Testing

@testable import Winnow

/// Two JSON texts and whether they are JSON-equal.
struct EqualityCase: Sendable, CustomTestStringConvertible {
  let a: String
  let b: String
  let equal: Bool
  var testDescription: String { "\(a) \(equal ? "==" : "!=") \(b)" }
}

@Suite struct JSONEqualityTests {
  static let cases: [EqualityCase] = [
    EqualityCase(a: "1", b: "1.0", equal: true),
    EqualityCase(a: "1", b: "1e0", equal: true),
    EqualityCase(a: "100", b: "1E+2", equal: true),
    EqualityCase(a: "0", b: "-0", equal: true),
    EqualityCase(a: "0.1", b: "1e-1", equal: true),
    EqualityCase(a: "9007199254740993", b: "9007199254740992", equal: true),
    EqualityCase(a: "1", b: "2", equal: false),
    EqualityCase(a: "1", b: "\"1\"", equal: false),
    EqualityCase(a: "1", b: "true", equal: false),
    EqualityCase(a: "0", b: "false", equal: false),
    EqualityCase(a: "0", b: "null", equal: false),
    EqualityCase(a: "null", b: "null", equal: true),
    EqualityCase(a: "true", b: "true", equal: true),
    EqualityCase(a: "true", b: "false", equal: false),
    EqualityCase(a: #""\u00e9""#, b: "\"é\"", equal: true),
    EqualityCase(a: "\"é\"", b: "\"e\u{301}\"", equal: false),  // no normalization
    EqualityCase(a: #""a\/b""#, b: #""a/b""#, equal: true),
    EqualityCase(a: #""""#, b: "null", equal: false),
    EqualityCase(a: "[1,2]", b: "[1,2]", equal: true),
    EqualityCase(a: "[1,2]", b: "[2,1]", equal: false),
    EqualityCase(a: "[1,2]", b: "[1,2,3]", equal: false),
    EqualityCase(a: "[[1],{}]", b: "[[1.0],{}]", equal: true),
    EqualityCase(a: "[]", b: "{}", equal: false),
    EqualityCase(a: #"{"a":1,"b":2}"#, b: #"{"b":2,"a":1}"#, equal: true),
    EqualityCase(a: #"{"a":1,"b":2}"#, b: #"{"a":1}"#, equal: false),
    EqualityCase(a: #"{"a":1}"#, b: #"{"a":1,"b":2}"#, equal: false),
    EqualityCase(a: #"{"a":1}"#, b: #"{"a":"1"}"#, equal: false),
    EqualityCase(a: #"{"a":1,"a":2}"#, b: #"{"a":2}"#, equal: true),
    EqualityCase(
      a: #"{"a":{"b":[1,{"c":null}]}}"#, b: #"{"a":{"b":[1e0,{"c":null}]}}"#, equal: true),
  ]

  @Test(arguments: cases)
  func equalityAndHash(_ c: EqualityCase) throws {
    let a = try JSONValue(parsing: c.a)
    let b = try JSONValue(parsing: c.b)
    #expect((a == b) == c.equal)
    #expect((b == a) == c.equal, "symmetric")
    if c.equal { #expect(a.hashValue == b.hashValue, "equal values hash alike") }
  }

  @Test func setsAgreeWithEquality() throws {
    let values = try [
      "1", "1.0", "-0", "0", #"{"a":1,"b":2}"#, #"{"b":2,"a":1}"#, "\"é\"", #""\u00e9""#,
    ]
    .map { try JSONValue(parsing: $0) }
    #expect(Set(values).count == 4)
  }
}
