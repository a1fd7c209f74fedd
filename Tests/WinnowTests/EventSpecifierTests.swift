import Testing

@testable import Winnow

/// A specifier that must parse: its canonical form and its parts.
struct SpecifierCase: Sendable, CustomTestStringConvertible {
  let name: String
  let input: String
  let canonical: String
  var types: EventSpecifier.Part = .any
  var actions: EventSpecifier.Part = .any
  var keys: EventSpecifier.Part = .any
  var filter: String? = nil
  var testDescription: String { name }
}

/// A specifier rejected outside its filter: the code, the message and the caret (`1️⃣`).
struct SpecifierErrorCase: Sendable, CustomTestStringConvertible {
  let name: String
  let marked: String
  var code: Diagnostic.Code = .invalidSpecifier
  let message: String
  var testDescription: String { name }
}

/// A specifier whose filter is rejected: the filter parser's diagnostic, moved to the caret.
struct SpecifierFilterErrorCase: Sendable, CustomTestStringConvertible {
  let name: String
  let marked: String
  let code: Diagnostic.Code
  var testDescription: String { name }
}

@Suite struct EventSpecifierTests {
  static let uuid = "3f7c2a9e-5d41-4b8a-9c0e-7d2b5e8f1a60"

  static let accepted: [SpecifierCase] = [
    SpecifierCase(name: "any of everything", input: "*.*.*", canonical: "*.*.*"),
    SpecifierCase(
      name: "type", input: "machines.*.*", canonical: "machines.*.*", types: .values(["machines"])),
    SpecifierCase(
      name: "type, action and key", input: "machines.save.\(uuid)",
      canonical: "machines.save.\(uuid)",
      types: .values(["machines"]), actions: .values(["save"]), keys: .values([uuid])),
    SpecifierCase(
      name: "lists", input: "machines,profiles.save,update.a,b",
      canonical: "machines,profiles.save,update.a,b",
      types: .values(["machines", "profiles"]), actions: .values(["save", "update"]),
      keys: .values(["a", "b"])),
    SpecifierCase(
      name: "duplicate entries are kept", input: "a,a.b.c", canonical: "a,a.b.c",
      types: .values(["a", "a"]), actions: .values(["b"]), keys: .values(["c"])),
    SpecifierCase(
      name: "escaped dot", input: #"profiles.save.my\1profile"#,
      canonical: #"profiles.save.my\1profile"#,
      types: .values(["profiles"]), actions: .values(["save"]), keys: .values(["my.profile"])),
    SpecifierCase(
      name: "escaped comma", input: #"params.create.a\2b"#, canonical: #"params.create.a\2b"#,
      types: .values(["params"]), actions: .values(["create"]), keys: .values(["a,b"])),
    SpecifierCase(
      name: "escaped star", input: #"bootenvs.*.\3"#, canonical: #"bootenvs.*.\3"#,
      types: .values(["bootenvs"]), keys: .values(["*"])),
    SpecifierCase(
      name: "star inside a value is literal", input: "bootenvs.*.a*b", canonical: "bootenvs.*.a*b",
      types: .values(["bootenvs"]), keys: .values(["a*b"])),
    SpecifierCase(
      name: "double star is literal", input: "*.*.**", canonical: "*.*.**", keys: .values(["**"])),
    SpecifierCase(
      name: "escapes are kept as written", input: #"a\3b.*.*"#, canonical: #"a\3b.*.*"#,
      types: .values(["a*b"])),
    SpecifierCase(
      name: "filter characters in values", input: "a=b.c(d).e)f", canonical: "a=b.c(d).e)f",
      types: .values(["a=b"]), actions: .values(["c(d)"]), keys: .values(["e)f"])),
    SpecifierCase(
      name: "non-ASCII", input: "é.*.😀", canonical: "é.*.😀", types: .values(["é"]),
      keys: .values(["😀"])),
    SpecifierCase(
      name: "special job entries", input: "machines,machine_jobs.*.\(uuid)",
      canonical: "machines,machine_jobs.*.\(uuid)", types: .values(["machines", "machine_jobs"]),
      keys: .values([uuid])),
    // The filter part.
    SpecifierCase(
      name: "filter", input: #"machines.*.*.Object.Stage=Eq("complete")"#,
      canonical: #"machines.*.*.Object.Stage=Eq("complete")"#, types: .values(["machines"]),
      filter: #"Object.Stage=Eq("complete")"#),
    SpecifierCase(
      name: "filter whitespace is dropped", input: "a.b.c.X = Eq( 1 )", canonical: "a.b.c.X=Eq(1)",
      types: .values(["a"]), actions: .values(["b"]), keys: .values(["c"]), filter: "X=Eq(1)"),
    SpecifierCase(
      name: "filter canonical form", input: "machines.*.*. Stage = Changed( , )",
      canonical: "machines.*.*.Stage=Changed()",
      types: .values(["machines"]), filter: "Stage=Changed()"),
    SpecifierCase(
      name: "filter on a new line", input: "a.b.c.\na=Exists()", canonical: "a.b.c.a=Exists()",
      types: .values(["a"]), actions: .values(["b"]), keys: .values(["c"]), filter: "a=Exists()"),
    SpecifierCase(
      name: "dots in the filter", input: #"profiles.save.*.Object.Params.x=Eq("a.b")"#,
      canonical: #"profiles.save.*.Object.Params.x=Eq("a.b")"#, types: .values(["profiles"]),
      actions: .values(["save"]),
      filter: #"Object.Params.x=Eq("a.b")"#),
    SpecifierCase(
      name: "filter values minified", input: #"jobs.*.*.Object.State=In( "failed" , "finished" )"#,
      canonical: #"jobs.*.*.Object.State=In("failed","finished")"#, types: .values(["jobs"]),
      filter: #"Object.State=In("failed","finished")"#),
  ]

  @Test(arguments: accepted)
  func parses(_ c: SpecifierCase) throws {
    let specifier = try EventSpecifier(parsing: c.input)
    #expect(specifier.canonicalText == c.canonical)
    #expect(specifier.types == c.types)
    #expect(specifier.actions == c.actions)
    #expect(specifier.keys == c.keys)
    #expect(specifier.filter?.canonicalText == c.filter)
    // The canonical form parses back to itself.
    let reparsed = try EventSpecifier(parsing: specifier.canonicalText)
    #expect(reparsed == specifier)
    #expect(reparsed.canonicalText == specifier.canonicalText)
  }

  static let rejected: [SpecifierErrorCase] = [
    // Missing parts.
    SpecifierErrorCase(name: "empty text", marked: "1️⃣", message: "expected a type or '*'"),
    SpecifierErrorCase(
      name: "one part", marked: "machines1️⃣", message: "expected '.' and an action after the type"),
    SpecifierErrorCase(
      name: "two parts", marked: "machines.save1️⃣",
      message: "expected '.' and a key after the action"),
    SpecifierErrorCase(
      name: "empty key at the end", marked: "machines.save.1️⃣", message: "expected a key or '*'"),
    SpecifierErrorCase(
      name: "nothing after the third dot", marked: "a.b.c.1️⃣",
      message: "expected a filter after the third '.'"),
    SpecifierErrorCase(
      name: "nothing after the third dot, longer", marked: "machines.save.*.1️⃣",
      message: "expected a filter after the third '.'"),
    // Empty fields and entries.
    SpecifierErrorCase(name: "empty type", marked: "1️⃣.save.*", message: "expected a type or '*'"),
    SpecifierErrorCase(name: "empty action", marked: "a.1️⃣.c", message: "expected an action or '*'"),
    SpecifierErrorCase(
      name: "empty action, longer", marked: "machines.1️⃣.*", message: "expected an action or '*'"),
    SpecifierErrorCase(
      name: "empty entry inside", marked: "a,1️⃣,b.*.*", message: "expected a type after ','"),
    SpecifierErrorCase(
      name: "empty last entry", marked: "a,1️⃣.*.*", message: "expected a type after ','"),
    SpecifierErrorCase(
      name: "empty first entry", marked: "1️⃣,a.*.*", message: "expected a type before ','"),
    SpecifierErrorCase(
      name: "empty action entry", marked: "a.b,1️⃣,c.*", message: "expected an action after ','"),
    SpecifierErrorCase(
      name: "empty last key entry", marked: "a.b.c,1️⃣", message: "expected a key after ','"),
    SpecifierErrorCase(
      name: "empty key entry before a filter", marked: "a.b.c,1️⃣.x=Exists()",
      message: "expected a key after ','"),
    // A bare star in a list.
    SpecifierErrorCase(
      name: "star after a type", marked: "machines,1️⃣*.save.*",
      message: #"expected '*' alone for any type, or '\3' for a literal '*'"#),
    SpecifierErrorCase(
      name: "star before a type", marked: "1️⃣*,machines.save.*",
      message: #"expected '*' alone for any type, or '\3' for a literal '*'"#),
    SpecifierErrorCase(
      name: "star in an action list", marked: "a.b,1️⃣*.c",
      message: #"expected '*' alone for any action, or '\3' for a literal '*'"#),
    SpecifierErrorCase(
      name: "two stars", marked: "a.b.1️⃣*,*",
      message: #"expected '*' alone for any key, or '\3' for a literal '*'"#),
    // Whitespace.
    SpecifierErrorCase(
      name: "space in the type", marked: "machines1️⃣ .save.*",
      message: "expected no whitespace in the type"),
    SpecifierErrorCase(
      name: "leading space", marked: "1️⃣ machines.save.*",
      message: "expected no whitespace in the type"),
    SpecifierErrorCase(
      name: "tab in the action", marked: "machines.1️⃣\tsave.*",
      message: "expected no whitespace in the action"),
    SpecifierErrorCase(
      name: "space in the key", marked: "machines.save.a1️⃣ b",
      message: "expected no whitespace in the key"),
    SpecifierErrorCase(
      name: "trailing newline", marked: "machines.save.*1️⃣\n",
      message: "expected no whitespace in the key"),
    SpecifierErrorCase(
      name: "carriage return", marked: "a.b1️⃣\r.c", message: "expected no whitespace in the action"),
    SpecifierErrorCase(
      name: "space before the filter dot", marked: "a.b.c1️⃣ .x=Exists()",
      message: "expected no whitespace in the key"),
    SpecifierErrorCase(
      name: "space after a star", marked: "*1️⃣ .*.*", message: "expected no whitespace in the type"),
    SpecifierErrorCase(
      name: "space after non-ASCII", marked: "é1️⃣ é.*.*",
      message: "expected no whitespace in the type"),
    SpecifierErrorCase(
      name: "no-break space", marked: "a1️⃣\u{A0}b.*.*", message: "expected no whitespace in the type"
    ),
    SpecifierErrorCase(
      name: "ideographic space", marked: "a.b.c1️⃣\u{3000}",
      message: "expected no whitespace in the key"),
    SpecifierErrorCase(
      name: "line separator", marked: "a.1️⃣\u{2028}.c",
      message: "expected no whitespace in the action"),
    // Escapes.
    SpecifierErrorCase(
      name: "unknown escape", marked: #"a.b.c1️⃣\4"#,
      message: #"expected '\1', '\2' or '\3' after '\' in the key"#),
    SpecifierErrorCase(
      name: "zero escape", marked: #"a1️⃣\0.b.c"#,
      message: #"expected '\1', '\2' or '\3' after '\' in the type"#),
    SpecifierErrorCase(
      name: "trailing backslash", marked: #"a.b.c1️⃣\"#,
      message: #"expected '\1', '\2' or '\3' after '\' in the key"#),
    SpecifierErrorCase(
      name: "double backslash", marked: #"a.b.c1️⃣\\d"#,
      message: #"expected '\1', '\2' or '\3' after '\' in the key"#),
    SpecifierErrorCase(
      name: "backslash before a dot", marked: #"a.b1️⃣\.c.d"#,
      message: #"expected '\1', '\2' or '\3' after '\' in the action"#),
    SpecifierErrorCase(
      name: "escaped letter", marked: #"a.1️⃣\n.c"#,
      message: #"expected '\1', '\2' or '\3' after '\' in the action"#),
    // The first error from the left is the one reported.
    SpecifierErrorCase(
      name: "whitespace before an empty entry", marked: "a1️⃣ ,,b.c",
      message: "expected no whitespace in the type"),
    SpecifierErrorCase(
      name: "empty entry before a missing part", marked: "a,1️⃣", message: "expected a type after ','"
    ),
  ]

  @Test(arguments: rejected)
  func rejects(_ c: SpecifierErrorCase) {
    let input = MarkedText(c.marked)
    #expect(throws: Diagnostic(c.code, c.message, at: input.offset!)) {
      try EventSpecifier(parsing: input.text)
    }
  }

  static let filterErrors: [SpecifierFilterErrorCase] = [
    // Old clients split at two dots: this is key `my` and the filter `profile`.
    SpecifierFilterErrorCase(
      name: "old client dotted key", marked: "profiles.save.my.profile1️⃣", code: .unexpectedToken),
    SpecifierFilterErrorCase(name: "a word alone", marked: "a.b.c.d1️⃣", code: .unexpectedToken),
    SpecifierFilterErrorCase(name: "only whitespace", marked: "a.b.c. 1️⃣", code: .unexpectedToken),
    SpecifierFilterErrorCase(
      name: "unknown test", marked: "machines.*.*.Stage=1️⃣eq(1)", code: .unknownName),
    SpecifierFilterErrorCase(
      name: "unclosed", marked: "machines.*.*.Stage=Eq(11️⃣", code: .unexpectedToken),
    SpecifierFilterErrorCase(
      name: "bad value", marked: "machines.*.*.a=Eq(01️⃣1)", code: .invalidValue),
    SpecifierFilterErrorCase(
      name: "bad field", marked: "a.b.c.x.1️⃣.y=Exists()", code: .invalidField),
    SpecifierFilterErrorCase(
      name: "second line", marked: "machines.*.*.And(\n a=Eq(1),\n b=1️⃣Foo(2))", code: .unknownName),
  ]

  @Test(arguments: filterErrors)
  func reportsFilterErrorsInPlace(_ c: SpecifierFilterErrorCase) throws {
    let input = MarkedText(c.marked)
    let filterStart = try #require(EventSpecifierTests.filterStart(input.text))
    var expected: Diagnostic?
    do { _ = try Filter(parsing: String(input.text.utf8.dropFirst(filterStart))!) } catch {
      expected = error
    }
    let shifted = try #require(expected).shifted(by: filterStart)
    #expect(shifted.code == c.code)
    #expect(shifted.offset == input.offset)
    // The filter parser's error in place; the message may go on with a hint.
    do {
      _ = try EventSpecifier(parsing: input.text)
      Issue.record("accepted")
    } catch {
      #expect(error.code == shifted.code && error.offset == shifted.offset)
      #expect(error.message.hasPrefix(shifted.message))
    }
  }

  /// Hints for the commonest mistakes: the message goes on with the hint and the suggestion is
  /// the specifier meant; code and position stay the parser's.
  struct HintCase: Sendable, CustomTestStringConvertible {
    let name: String
    let marked: String
    let code: Diagnostic.Code
    /// What the message ends with (nil: no hint).
    let hint: String?
    var suggestion: String? = nil
    var testDescription: String { name }
  }

  static let dottedKey = #"; a key with dots is written with '\1' for each '.'"#
  static let aFilter = "; this is a filter, and a specifier is type.action.key[.filter]"

  static let hints: [HintCase] = [
    HintCase(
      name: "IP address key", marked: "leases.*.10.0.1.231️⃣", code: .unexpectedToken,
      hint: dottedKey, suggestion: #"leases.*.10\10\11\123"#),
    HintCase(
      name: "dotted profile name", marked: "profiles.save.my.profile1️⃣", code: .unexpectedToken,
      hint: dottedKey, suggestion: #"profiles.save.my\1profile"#),
    HintCase(
      name: "host name key", marked: "machines.*.node-1.lab.example1️⃣", code: .unexpectedToken,
      hint: dottedKey, suggestion: #"machines.*.node-1\1lab\1example"#),
    HintCase(
      name: "a word after a key", marked: "a.b.c.d1️⃣", code: .unexpectedToken, hint: dottedKey,
      suggestion: #"a.b.c\1d"#),
    HintCase(
      name: "a real filter error", marked: "machines.*.k.Stage=1️⃣eq(1)", code: .unknownName,
      hint: nil, suggestion: "Eq"),
    HintCase(name: "key list", marked: "leases.*.a,10.0.1.231️⃣", code: .unexpectedToken, hint: nil),
    HintCase(name: "any key", marked: "leases.*.*.0.1.231️⃣", code: .unexpectedToken, hint: nil),
    HintCase(name: "filter-like rest", marked: "a.b.c.d 1️⃣e", code: .unexpectedToken, hint: nil),
    HintCase(
      name: "a filter", marked: #"Type=Eq("machines")1️⃣"#, code: .invalidSpecifier, hint: aFilter,
      suggestion: #"*.*.*.Type=Eq("machines")"#),
    HintCase(
      name: "a filter with spaces", marked: #"And(1️⃣ Type=Eq("x"), Key=Exists() )"#,
      code: .invalidSpecifier, hint: aFilter, suggestion: #"*.*.*.And(Type=Eq("x"),Key=Exists())"#),
    HintCase(
      name: "a compact And", marked: #"And(Type=Eq("x"),Key=Exists())1️⃣"#, code: .invalidSpecifier,
      hint: aFilter, suggestion: #"*.*.*.And(Type=Eq("x"),Key=Exists())"#),
    HintCase(
      name: "a dotted field filter", marked: #"Object.Stage=Eq("x")1️⃣"#, code: .invalidSpecifier,
      hint: aFilter, suggestion: #"*.*.*.Object.Stage=Eq("x")"#),
    HintCase(name: "not a filter either", marked: "machines1️⃣", code: .invalidSpecifier, hint: nil),
  ]

  @Test(arguments: hints)
  func hintsAtTheCommonestMistakes(_ c: HintCase) throws {
    let input = MarkedText(c.marked)
    do {
      let parsed = try EventSpecifier(parsing: input.text)
      Issue.record("accepted \(parsed)")
    } catch {
      #expect(error.code == c.code)
      #expect(error.offset == input.offset)
      if let hint = c.hint {
        #expect(error.message.hasSuffix(hint), "\(error.message)")
      } else {
        #expect(
          !error.message.hasSuffix(Self.dottedKey) && !error.message.hasSuffix(Self.aFilter),
          "\(error.message)")
      }
      #expect(error.suggestion == c.suggestion)
      // A suggested specifier parses.
      if c.hint != nil, let suggestion = c.suggestion {
        _ = try EventSpecifier(parsing: suggestion)
      }
    }
  }

  /// The offset just after the third `.`.
  static func filterStart(_ text: String) -> Int? {
    var dots = 0
    for (i, b) in text.utf8.enumerated() where b == UInt8(ascii: ".") {
      dots += 1
      if dots == 3 { return i + 1 }
    }
    return nil
  }

  // MARK: - Bytes and limits

  @Test func rejectsInvalidUTF8InTheParts() {
    let bytes: [UInt8] = Array("machines".utf8) + [0xFF] + Array(".*.*".utf8)
    #expect(throws: Diagnostic(.invalidEncoding, "the specifier is not valid UTF-8", at: 8)) {
      try bytes.withUnsafeBufferPointer { b throws(Diagnostic) in
        _ = try EventSpecifier(parsingUTF8: b)
      }
    }
  }

  @Test func rejectsInvalidUTF8InTheFilter() {
    let bytes: [UInt8] = Array(#"a.b.c.a=Eq(""#.utf8) + [0xC3] + Array(#"")"#.utf8)
    #expect(throws: Diagnostic(.invalidEncoding, "the specifier is not valid UTF-8", at: 12)) {
      try bytes.withUnsafeBufferPointer { b throws(Diagnostic) in
        _ = try EventSpecifier(parsingUTF8: b)
      }
    }
  }

  @Test func invalidUTF8IsReportedBeforeOtherErrors() {
    let bytes: [UInt8] = Array("a b".utf8) + [0x80]
    #expect(throws: Diagnostic(.invalidEncoding, "the specifier is not valid UTF-8", at: 3)) {
      try bytes.withUnsafeBufferPointer { b throws(Diagnostic) in
        _ = try EventSpecifier(parsingUTF8: b)
      }
    }
  }

  @Test func parsesFromBytes() throws {
    let bytes = Array(#"profiles.save.my\1profile.Object.Name=Eq("my.profile")"#.utf8)
    let specifier = try bytes.withUnsafeBufferPointer { b throws(Diagnostic) in
      try EventSpecifier(parsingUTF8: b)
    }
    #expect(specifier.keys == .values(["my.profile"]))
    #expect(
      specifier
        == (try EventSpecifier(parsing: #"profiles.save.my\1profile.Object.Name=Eq("my.profile")"#))
    )
  }

  /// `maxBytes` limits the filter part (Grammar decision 13), reported in the whole text.
  @Test func sizeLimitAppliesToTheFilterPart() throws {
    let limits = ParseLimits(maxBytes: 10)
    #expect(throws: Diagnostic(.limitExceeded, "the filter is longer than 10 bytes", at: 23)) {
      try EventSpecifier(parsing: "machines.*.*.abc=Exists()", limits: limits)
    }
    #expect(
      try EventSpecifier(parsing: "machines.*.*.a=Exists()", limits: limits).canonicalText
        == "machines.*.*.a=Exists()")
    #expect(
      try EventSpecifier(parsing: "machines,profiles.*.*", limits: limits).canonicalText
        == "machines,profiles.*.*")
  }

  @Test func filterLimitsAreReportedInPlace() throws {
    let limits = ParseLimits(maxDepth: 2)
    let filter = "Not(Not(x=Exists()))"
    var expected: Diagnostic?
    do { _ = try Filter(parsing: filter, limits: limits) } catch { expected = error }
    let diagnostic = try #require(expected)
    #expect(diagnostic.code == .limitExceeded)
    #expect(throws: diagnostic.shifted(by: 6)) {
      try EventSpecifier(parsing: "a.b.c." + filter, limits: limits)
    }
    #expect(throws: Never.self) {
      try EventSpecifier(parsing: "a.b.c.Not(x=Exists())", limits: limits)
    }
  }

  // MARK: - Identity

  @Test func identityIsTheCanonicalForm() throws {
    let a = try EventSpecifier(parsing: "a.b.c.X=Eq(1)")
    let b = try EventSpecifier(parsing: "a.b.c.X = Eq( 1 )")
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(Set([a, b]).count == 1)
    // The same value written two ways is two specifiers: parts are kept as written.
    #expect(try EventSpecifier(parsing: "a.b.x*y") != EventSpecifier(parsing: #"a.b.x\3y"#))
    #expect(try EventSpecifier(parsing: "a,b.c.d") != EventSpecifier(parsing: "b,a.c.d"))
    #expect(try EventSpecifier(parsing: "a.b.c") != EventSpecifier(parsing: "a.b.c.X=Exists()"))
    #expect(a.description == "a.b.c.X=Eq(1)")
  }
}
