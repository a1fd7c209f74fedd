import Testing

@testable import Winnow

/// A term built in code and its canonical text.
struct CanonicalCase: Sendable, CustomTestStringConvertible {
  let name: String
  let term: Term
  let canonical: String
  var testDescription: String { name }
}

/// A field built in code; the tests only use valid ones.
func field(_ text: String) -> FieldPath { try! FieldPath(parsing: text) }

/// A pattern built in code (accepted by the RE2 front end).
func pattern(_ source: String) -> RE2Pattern { try! RE2Pattern(re2: source) }

@Suite struct CanonicalFormTests {
  static let cases: [CanonicalCase] = [
    CanonicalCase(name: "exists", term: .field(field("a"), .exists), canonical: "a=Exists()"),
    CanonicalCase(
      name: "minimal string escaping",
      term: .field(field("a"), .eq("q\"b\\s/\u{8}\u{C}\n\r\t\u{1}\u{1F}\u{7F}é\u{2028}")),
      canonical: #"a=Eq("q\"b\\s/\b\f\n\r\t\u0001\u001f"# + "\u{7F}é\u{2028}\")"),
    CanonicalCase(
      name: "object member order kept",
      term: .field(field("a"), .ne(["z": 1, "a": [true, nil, "x"]])),
      canonical: #"a=Ne({"z":1,"a":[true,null,"x"]})"#),
    CanonicalCase(
      name: "computed numbers", term: .field(field("a"), .in([1, 2.5, -0.0, 1e300])),
      canonical: "a=In(1,2.5,-0,1e+300)"),
    CanonicalCase(
      name: "pattern escaped as a JSON string",
      term: .field(field("a"), .re(pattern("\"\\d\t\u{1}"))),
      canonical: #"a=Re("\"\\d\t\u0001")"#),
    CanonicalCase(
      name: "Changed none", term: .field(field("s"), .changed(from: nil, to: nil)),
      canonical: "s=Changed()"),
    CanonicalCase(
      name: "Changed from", term: .field(field("s"), .changed(from: 1, to: nil)),
      canonical: "s=Changed(1)"),
    CanonicalCase(
      name: "Changed to", term: .field(field("s"), .changed(from: nil, to: 2)),
      canonical: "s=Changed(,2)"),
    CanonicalCase(
      name: "Changed both", term: .field(field("s"), .changed(from: nil, to: .null)),
      canonical: "s=Changed(,null)"),
    CanonicalCase(
      name: "fields as written",
      term: .and([
        .field(field("/a~1b"), .exists), .field(field("#/a%2Fb"), .exists),
        .field(field("a.b"), .exists),
      ]),
      canonical: "And(/a~1b=Exists(),#/a%2Fb=Exists(),a.b=Exists())"),
    CanonicalCase(
      name: "connectives",
      term: .or([.not(.field(field("a"), .exists)), .and([.field(field("b"), .nin(["x"]))])]),
      canonical: #"Or(Not(a=Exists()),And(b=Nin("x")))"#),
  ]

  @Test(arguments: cases)
  func printsCanonically(_ c: CanonicalCase) throws {
    let filter = Filter(c.term)
    #expect(filter.canonicalText == c.canonical)
    let reparsed = try Filter(parsing: c.canonical)
    #expect(reparsed == filter, "parse(print(f)) == f")
    #expect(reparsed.canonicalText == c.canonical, "printing is idempotent")
  }

  @Test func testsPrintOnTheirOwn() {
    #expect(FieldTest.changed(from: nil, to: 1).canonicalText == "Changed(,1)")
    #expect(FieldTest.eq("x").canonicalText == #"Eq("x")"#)
  }
}
