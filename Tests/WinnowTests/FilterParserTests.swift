import Testing

@testable import Winnow

/// A filter that must parse, and the canonical form it must print as.
struct ParseCase: Sendable, CustomTestStringConvertible {
  let name: String
  let input: String
  let canonical: String
  var testDescription: String { name }
}

@Suite struct FilterParserTests {
  static let accepted: [ParseCase] = [
    // Every test.
    ParseCase(name: "Exists", input: "Name=Exists()", canonical: "Name=Exists()"),
    ParseCase(
      name: "Eq string", input: #"Type=Eq("machines")"#, canonical: #"Type=Eq("machines")"#),
    ParseCase(name: "Ne number", input: "Object.Count=Ne(3)", canonical: "Object.Count=Ne(3)"),
    ParseCase(
      name: "Re", input: #"Key=Re("^node-[0-9]+$")"#, canonical: #"Key=Re("^node-[0-9]+$")"#),
    ParseCase(name: "In one value", input: "a=In(1)", canonical: "a=In(1)"),
    ParseCase(
      name: "In several values", input: #"a=In(1, "x", null)"#, canonical: #"a=In(1,"x",null)"#),
    ParseCase(name: "Nin", input: "a=Nin(true,false)", canonical: "a=Nin(true,false)"),
    // Changed slots.
    ParseCase(name: "Changed no slots", input: "Stage=Changed()", canonical: "Stage=Changed()"),
    ParseCase(
      name: "Changed from", input: #"Stage=Changed("a")"#, canonical: #"Stage=Changed("a")"#),
    ParseCase(
      name: "Changed from and to", input: #"Stage=Changed("a","b")"#,
      canonical: #"Stage=Changed("a","b")"#),
    ParseCase(
      name: "Changed to only", input: #"Stage=Changed(,"b")"#, canonical: #"Stage=Changed(,"b")"#),
    ParseCase(
      name: "Changed two empty slots", input: "Stage=Changed(,)", canonical: "Stage=Changed()"),
    ParseCase(
      name: "Changed empty second slot", input: "Stage=Changed(1,)", canonical: "Stage=Changed(1)"),
    ParseCase(
      name: "Changed null is a given slot", input: "Stage=Changed(null,null)",
      canonical: "Stage=Changed(null,null)"),
    ParseCase(
      name: "Changed slots with spaces", input: "Stage=Changed( , 2 )",
      canonical: "Stage=Changed(,2)"),
    // Connectives.
    ParseCase(
      name: "And", input: "And(a=Exists(),b=Exists())", canonical: "And(a=Exists(),b=Exists())"),
    ParseCase(name: "And of one", input: "And(a=Exists())", canonical: "And(a=Exists())"),
    ParseCase(
      name: "Or", input: "Or(a=Eq(1),b=Eq(2),c=Eq(3))", canonical: "Or(a=Eq(1),b=Eq(2),c=Eq(3))"),
    ParseCase(name: "Not", input: "Not(a=Exists())", canonical: "Not(a=Exists())"),
    ParseCase(
      name: "nested connectives",
      input: #"And(Type=Eq("machines"),Or(Not(a=Exists()),b=In(1,2)),c=Ne(null))"#,
      canonical: #"And(Type=Eq("machines"),Or(Not(a=Exists()),b=In(1,2)),c=Ne(null))"#),
    ParseCase(name: "Not of Not", input: "Not(Not(a=Exists()))", canonical: "Not(Not(a=Exists()))"),
    // Whitespace everywhere it is allowed.
    ParseCase(
      name: "spaces around every token", input: "  And ( a = Eq ( 1 ) , b=Exists( ) )  ",
      canonical: "And(a=Eq(1),b=Exists())"),
    ParseCase(
      name: "tabs, CR and LF between tokens",
      input: "Or(\r\n\ta\t=\tEq(\n\"x\"\n)\r\n,\nb=Ne([ 1 , 2 ])\n)\n",
      canonical: #"Or(a=Eq("x"),b=Ne([1,2]))"#),
    ParseCase(
      name: "whitespace inside a value is not kept", input: #"a=Eq( { "k" : [ 1 , { } ] } )"#,
      canonical: #"a=Eq({"k":[1,{}]})"#),
    ParseCase(
      name: "whitespace inside a string is kept", input: #"a=Eq(" x  y ")"#,
      canonical: #"a=Eq(" x  y ")"#),
    // Field forms.
    ParseCase(
      name: "dotted field", input: "Object.Params.kernel-console=Exists()",
      canonical: "Object.Params.kernel-console=Exists()"),
    ParseCase(
      name: "pointer field", input: "/Object/Params/change-stage~1map=Exists()",
      canonical: "/Object/Params/change-stage~1map=Exists()"),
    ParseCase(
      name: "fragment field", input: "#/Object/Params/my%20param=Exists()",
      canonical: "#/Object/Params/my%20param=Exists()"),
    ParseCase(name: "whole-value fragment", input: "#=Eq(1)", canonical: "#=Eq(1)"),
    ParseCase(name: "root pointer", input: "/=Eq(1)", canonical: "/=Eq(1)"),
    ParseCase(
      name: "non-ASCII field", input: "Object.grüße=Eq(\"✓\")", canonical: "Object.grüße=Eq(\"✓\")"),
    ParseCase(
      name: "field with JSON-ish bytes", input: #"a"b[c=Exists()"#, canonical: #"a"b[c=Exists()"#),
    // Connective names are not reserved as fields.
    ParseCase(name: "field named And", input: "And=Eq(1)", canonical: "And=Eq(1)"),
    ParseCase(
      name: "field named Not with spaces", input: "Not = Exists()", canonical: "Not=Exists()"),
    // Values.
    ParseCase(
      name: "numbers as written", input: "a=In(1.0,1e0,-0,1E+2,0.5e-3)",
      canonical: "a=In(1.0,1e0,-0,1E+2,0.5e-3)"),
    ParseCase(name: "underflow is accepted", input: "a=Eq(1e-400)", canonical: "a=Eq(1e-400)"),
    ParseCase(
      name: "escapes minimized", input: #"a=Eq("\u0041\/\u00e9\n\u001F")"#,
      canonical: #"a=Eq("A/é\n\u001f")"#),
    ParseCase(
      name: "lone surrogate reads as U+FFFD", input: #"a=Eq("\ud800")"#,
      canonical: "a=Eq(\"\u{FFFD}\")"),
    ParseCase(
      name: "duplicate key", input: #"a=Eq({"x":1,"y":2,"x":3})"#,
      canonical: #"a=Eq({"x":3,"y":2})"#),
    ParseCase(
      name: "string with delimiters", input: #"a=Eq("a,b)c(d=e")"#, canonical: #"a=Eq("a,b)c(d=e")"#
    ),
    ParseCase(
      name: "values next to parens", input: "a=In([1],{},\"\",true)",
      canonical: "a=In([1],{},\"\",true)"),
    ParseCase(
      name: "Re with escapes", input: #"a=Re("\\d+\t\"")"#, canonical: #"a=Re("\\d+\t\"")"#),
  ]

  @Test(arguments: accepted)
  func printsCanonicalForm(_ c: ParseCase) throws {
    let filter = try Filter(parsing: c.input)
    #expect(filter.canonicalText == c.canonical)
    #expect(filter.description == c.canonical)
    let reparsed = try Filter(parsing: filter.canonicalText)
    #expect(reparsed == filter, "parse(print(f)) == f")
    #expect(reparsed.canonicalText == filter.canonicalText, "printing is idempotent")
    #expect(try Filter(parsing: c.canonical) == filter, "the canonical text is the same filter")
  }

  @Test func buildsTheExpectedTerms() throws {
    let filter = try Filter(
      parsing: #"And(Type=Eq("machines"), Not(Stage=Changed(,"b")), n=In(1,2))"#)
    let expected = Term.and([
      .field(try FieldPath(parsing: "Type"), .eq("machines")),
      .not(.field(try FieldPath(parsing: "Stage"), .changed(from: nil, to: "b"))),
      .field(try FieldPath(parsing: "n"), .in([1, 2])),
    ])
    #expect(filter.term == expected)
    #expect(filter == Filter(expected))
  }

  @Test func changedSlotsAreOptionals() throws {
    let cases: [(String, JSONValue?, JSONValue?)] = [
      ("Changed()", nil, nil), ("Changed(,)", nil, nil), ("Changed(1)", 1, nil),
      ("Changed(1,)", 1, nil), ("Changed(,2)", nil, 2), ("Changed(1,2)", 1, 2),
      ("Changed(null)", .null, nil),
    ]
    for (test, from, to) in cases {
      let filter = try Filter(parsing: "f=" + test)
      guard case .field(_, .changed(let f, let t)) = filter.term else {
        Issue.record("not a Changed term: \(test)")
        continue
      }
      #expect(f == from, "\(test)")
      #expect(t == to, "\(test)")
    }
  }

  @Test func equalityFollowsJSONEquality() throws {
    #expect(try Filter(parsing: "a=Eq(1)") == Filter(parsing: "a=Eq(1.0)"))
    #expect(
      try Filter(parsing: #"a=Eq({"x":1,"y":2})"#) == Filter(parsing: #"a=Eq({"y":2,"x":1})"#))
    #expect(
      try Filter(parsing: "a=Eq(1)") != Filter(parsing: "/a=Eq(1)"), "fields compare as written")
    #expect(try Filter(parsing: "a=Eq(1)") != Filter(parsing: "a=Ne(1)"))
    #expect(try Filter(parsing: "a=Changed(,)") == Filter(parsing: "a=Changed()"))
  }

  @Test func parsesFromUTF8Bytes() throws {
    let bytes = Array(#"And(a=Eq("é"),b=Exists())"#.utf8)
    let filter = try bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(Diagnostic) in try Filter(parsingUTF8: buffer) }
    }.get()
    #expect(filter.canonicalText == #"And(a=Eq("é"),b=Exists())"#)
  }
}
