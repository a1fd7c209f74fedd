// The canonical form of a filter (SPEC section 3): the one way of writing each term.

extension Term {
  /// The term in canonical form: no whitespace outside values, JSON values minified with
  /// member order kept and numbers as written, fields exactly as written, `Re` patterns as JSON
  /// strings with minimal escaping, and empty `Changed` slots dropped from the end.
  public var canonicalText: String {
    var out: [UInt8] = []
    writeCanonical(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the canonical form to `out`.
  func writeCanonical(to out: inout [UInt8]) {
    switch self {
    case .and(let terms):
      Term.writeConnective("And", terms, to: &out)
    case .or(let terms):
      Term.writeConnective("Or", terms, to: &out)
    case .not(let term):
      Term.writeConnective("Not", [term], to: &out)
    case .field(let path, let test):
      out.append(contentsOf: path.text.utf8)
      out.append(UInt8(ascii: "="))
      test.writeCanonical(to: &out)
    }
  }

  private static func writeConnective(_ name: String, _ terms: [Term], to out: inout [UInt8]) {
    out.append(contentsOf: name.utf8)
    out.append(UInt8(ascii: "("))
    for (i, term) in terms.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      term.writeCanonical(to: &out)
    }
    out.append(UInt8(ascii: ")"))
  }
}

extension FieldTest {
  /// The test in canonical form, as it follows `field=`: `Eq("x")`, `Changed(,1)`, ...
  var canonicalText: String {
    var out: [UInt8] = []
    writeCanonical(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the canonical form to `out`.
  func writeCanonical(to out: inout [UInt8]) {
    switch self {
    case .exists:
      out.append(contentsOf: "Exists()".utf8)
    case .eq(let value):
      FieldTest.write("Eq", [value], to: &out)
    case .ne(let value):
      FieldTest.write("Ne", [value], to: &out)
    case .re(let pattern):
      out.append(contentsOf: "Re(".utf8)
      JSONValue.writeQuoted(pattern.source.utf8, to: &out)
      out.append(UInt8(ascii: ")"))
    case .in(let values):
      FieldTest.write("In", values, to: &out)
    case .nin(let values):
      FieldTest.write("Nin", values, to: &out)
    case .changed(let from, let to):
      // Empty slots are dropped from the end: `Changed(,)` is `Changed()`, `Changed(1,)` is
      // `Changed(1)`; a given `to` keeps the first slot's place: `Changed(,1)`.
      out.append(contentsOf: "Changed(".utf8)
      from?.write(to: &out)
      if let to {
        out.append(UInt8(ascii: ","))
        to.write(to: &out)
      }
      out.append(UInt8(ascii: ")"))
    }
  }

  private static func write(_ name: String, _ values: [JSONValue], to out: inout [UInt8]) {
    out.append(contentsOf: name.utf8)
    out.append(UInt8(ascii: "("))
    for (i, value) in values.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      value.write(to: &out)
    }
    out.append(UInt8(ascii: ")"))
  }
}
