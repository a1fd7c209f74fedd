import Testing

@testable import Winnow

/// A term, a document, and the expected result under the plain and the event rules.
struct EvaluationCase: Sendable, CustomTestStringConvertible {
  let name: String
  let term: Term
  let document: String
  let plain: Bool
  /// Nil when the event rules give the same result as the plain ones.
  var event: Bool? = nil
  var testDescription: String { name }
}

@Suite struct EvaluationTests {
  static let machine = #"""
    {"Time":"2017-12-21T23:26:43Z","Type":"machines","Action":"save","Key":"3e7031fe",
     "Principal":"user:rocketskates","Object":{"Name":"node-7.lab","Stage":"discover",
     "Runnable":true,"Params":{"bar":null,"kernel-console":"ttyS0","a.b":1},"Tags":["x","y"],
     "Count":3,"Meta":{"color":"blue","icon":"server"},"Empty":""},
     "Original":{"Name":"node-7.lab","Stage":"none","Runnable":true,"Params":{},"Count":3.0}}
    """#

  static let cases: [EvaluationCase] = [
    // Exists
    EvaluationCase(
      name: "exists top level", term: field("Type", .exists), document: machine, plain: true),
    EvaluationCase(
      name: "exists null counts", term: field("Object.Params.bar", .exists), document: machine,
      plain: true),
    EvaluationCase(
      name: "exists missing", term: field("Object.Params.baz", .exists), document: machine,
      plain: false),
    EvaluationCase(
      name: "exists into scalar", term: field("Object.Name.x", .exists), document: machine,
      plain: false),
    EvaluationCase(
      name: "exists array index", term: field("Object.Tags.1", .exists), document: machine,
      plain: true),
    EvaluationCase(
      name: "exists array out of range", term: field("Object.Tags.2", .exists), document: machine,
      plain: false),
    EvaluationCase(
      name: "exists leading zero index", term: field("Object.Tags.01", .exists), document: machine,
      plain: false),
    EvaluationCase(
      name: "exists pointer key with dot", term: field("/Object/Params/a.b", .exists),
      document: machine, plain: true),
    EvaluationCase(
      name: "exists whole value", term: field("#", .exists), document: machine, plain: true),
    // Eq
    EvaluationCase(
      name: "eq string", term: field("Type", .eq("machines")), document: machine, plain: true),
    EvaluationCase(
      name: "eq string differs", term: field("Type", .eq("machine")), document: machine,
      plain: false),
    EvaluationCase(
      name: "eq empty string", term: field("Object.Empty", .eq("")), document: machine, plain: true),
    EvaluationCase(
      name: "eq missing is false", term: field("Nope", .eq(nil)), document: machine, plain: false),
    EvaluationCase(
      name: "eq null", term: field("Object.Params.bar", .eq(nil)), document: machine, plain: true),
    EvaluationCase(
      name: "eq true", term: field("Object.Runnable", .eq(true)), document: machine, plain: true),
    EvaluationCase(
      name: "eq true is not 1", term: field("Object.Runnable", .eq(1)), document: machine,
      plain: false),
    EvaluationCase(
      name: "eq number as float", term: field("Object.Count", .eq(json("3.0e0"))),
      document: machine, plain: true),
    EvaluationCase(
      name: "eq number is not string", term: field("Object.Count", .eq("3")), document: machine,
      plain: false),
    EvaluationCase(
      name: "eq array ordered", term: field("Object.Tags", .eq(["x", "y"])), document: machine,
      plain: true),
    EvaluationCase(
      name: "eq array order matters", term: field("Object.Tags", .eq(["y", "x"])),
      document: machine, plain: false),
    EvaluationCase(
      name: "eq object unordered",
      term: field("Object.Meta", .eq(json(#"{"icon":"server","color":"blue"}"#))),
      document: machine, plain: true),
    EvaluationCase(
      name: "eq object subset is not equal",
      term: field("Object.Meta", .eq(json(#"{"icon":"server"}"#))), document: machine, plain: false),
    EvaluationCase(
      name: "eq escaped string", term: field("x", .eq("é\n")), document: #"{"x":"\u00e9\n"}"#,
      plain: true),
    EvaluationCase(
      name: "eq no normalization", term: field("x", .eq("e\u{301}")), document: #"{"x":"\u00e9"}"#,
      plain: false),
    EvaluationCase(
      name: "eq duplicate key last wins", term: field("a", .eq(2)), document: #"{"a":1,"a":2}"#,
      plain: true),
    EvaluationCase(
      name: "eq object with duplicate keys", term: field("a", .eq(json(#"{"b":2}"#))),
      document: #"{"a":{"b":1,"b":2}}"#, plain: true),
    EvaluationCase(
      name: "eq negative zero", term: field("a", .eq(json("-0"))), document: #"{"a":0}"#,
      plain: true),
    // Ne
    EvaluationCase(
      name: "ne differs", term: field("Type", .ne("jobs")), document: machine, plain: true),
    EvaluationCase(
      name: "ne equal", term: field("Type", .ne("machines")), document: machine, plain: false),
    EvaluationCase(
      name: "ne missing is true", term: field("Nope", .ne("x")), document: machine, plain: true),
    // In / Nin
    EvaluationCase(
      name: "in hit", term: field("Type", .in(["jobs", "machines"])), document: machine, plain: true
    ),
    EvaluationCase(
      name: "in miss", term: field("Type", .in(["jobs", "leases"])), document: machine, plain: false
    ),
    EvaluationCase(
      name: "in mixed kinds", term: field("Object.Count", .in(["3", true, 3])), document: machine,
      plain: true),
    EvaluationCase(
      name: "in many strings",
      term: field("Object.Stage", .in((0..<50).map { .string("s\($0)") } + ["discover"])),
      document: machine, plain: true),
    EvaluationCase(
      name: "in many strings miss",
      term: field("Object.Stage", .in((0..<50).map { .string("s\($0)") })), document: machine,
      plain: false),
    EvaluationCase(
      name: "in many numbers",
      term: field("Object.Count", .in((10..<40).map { .number(JSONNumber($0)) } + [json("3e0")])),
      document: machine, plain: true),
    EvaluationCase(
      name: "in missing is false", term: field("Nope", .in([nil])), document: machine, plain: false),
    EvaluationCase(
      name: "in compound", term: field("Object.Tags", .in([1, ["x", "y"]])), document: machine,
      plain: true),
    EvaluationCase(
      name: "nin miss", term: field("Action", .nin(["create", "delete"])), document: machine,
      plain: true),
    EvaluationCase(
      name: "nin hit", term: field("Action", .nin(["save", "update"])), document: machine,
      plain: false),
    EvaluationCase(
      name: "nin missing is true", term: field("Nope", .nin(["x"])), document: machine, plain: true),
    // Combinators
    EvaluationCase(
      name: "and all true",
      term: .and([
        field("Type", .eq("machines")), field("Object.Runnable", .eq(true)),
        field("Object.Params.bar", .exists),
      ]), document: machine, plain: true),
    EvaluationCase(
      name: "and one false",
      term: .and([field("Type", .eq("machines")), field("Object.Runnable", .eq(false))]),
      document: machine, plain: false),
    EvaluationCase(
      name: "or one true", term: .or([field("Type", .eq("jobs")), field("Action", .eq("save"))]),
      document: machine, plain: true),
    EvaluationCase(
      name: "or none true",
      term: .or([
        field("Type", .eq("jobs")), field("Action", .eq("create")), field("Key", .eq("x")),
      ]), document: machine, plain: false),
    EvaluationCase(
      name: "not", term: .not(field("Type", .eq("jobs"))), document: machine, plain: true),
    EvaluationCase(
      name: "empty and built in code is true", term: .and([]), document: machine, plain: true),
    EvaluationCase(
      name: "empty or built in code is false", term: .or([]), document: machine, plain: false),
    EvaluationCase(
      name: "long and",
      term: .and((0..<7).map { _ in field("Type", .eq("machines")) } + [field("Key", .eq("x"))]),
      document: machine, plain: false),
    EvaluationCase(
      name: "long or",
      term: .or((0..<7).map { _ in field("Type", .eq("jobs")) } + [field("Action", .eq("save"))]),
      document: machine, plain: true),
    EvaluationCase(
      name: "single and", term: .and([field("Type", .eq("jobs"))]), document: machine, plain: false),
    EvaluationCase(
      name: "W5 shape",
      term: .or([
        .not(field("Action", .nin(["save", "update"]))),
        field("Object.WorkflowComplete", .eq(true)),
      ]), document: machine, plain: true),
    // Changed: save event with both Object and Original
    EvaluationCase(
      name: "changed any on a changed field", term: field("Stage", .changed(from: nil, to: nil)),
      document: machine, plain: true, event: true),
    EvaluationCase(
      name: "changed any on an unchanged field", term: field("Name", .changed(from: nil, to: nil)),
      document: machine, plain: true, event: false),
    EvaluationCase(
      name: "changed numbers equal as floats", term: field("Count", .changed(from: nil, to: nil)),
      document: machine, plain: true, event: false),
    EvaluationCase(
      name: "changed field missing in both", term: field("Nope", .changed(from: nil, to: nil)),
      document: machine, plain: true, event: false),
    EvaluationCase(
      name: "changed added field", term: field("Tags", .changed(from: nil, to: nil)),
      document: machine, plain: true, event: true),
    EvaluationCase(
      name: "changed added field with from",
      term: field("Tags", .changed(from: nil, to: ["x", "y"])), document: machine, plain: false,
      event: true),
    EvaluationCase(
      name: "changed from to", term: field("Stage", .changed(from: "none", to: "discover")),
      document: machine, plain: false, event: true),
    EvaluationCase(
      name: "changed wrong from", term: field("Stage", .changed(from: "x", to: "discover")),
      document: machine, plain: false, event: false),
    EvaluationCase(
      name: "changed to only", term: field("Stage", .changed(from: nil, to: "discover")),
      document: machine, plain: false, event: true),
    EvaluationCase(
      name: "changed from only", term: field("Stage", .changed(from: "none", to: nil)),
      document: machine, plain: true, event: true),
    EvaluationCase(
      name: "changed nested object unordered", term: field("Params", .changed(from: nil, to: nil)),
      document: #"{"Object":{"Params":{"a":1,"b":2}},"Original":{"Params":{"b":2,"a":1}}}"#,
      plain: true, event: false),
    // Changed: create event (no Original)
    EvaluationCase(
      name: "create changed any", term: field("Stage", .changed(from: nil, to: nil)),
      document: #"{"Type":"machines","Action":"create","Object":{"Stage":"b"}}"#, plain: true,
      event: true),
    EvaluationCase(
      name: "create changed from", term: field("Stage", .changed(from: "a", to: nil)),
      document: #"{"Action":"create","Object":{"Stage":"b"}}"#, plain: true, event: false),
    EvaluationCase(
      name: "create changed to", term: field("Stage", .changed(from: nil, to: "b")),
      document: #"{"Action":"create","Object":{"Stage":"b"}}"#, plain: false, event: true),
    EvaluationCase(
      name: "create changed to other", term: field("Stage", .changed(from: nil, to: "c")),
      document: #"{"Action":"create","Object":{"Stage":"b"}}"#, plain: false, event: false),
    EvaluationCase(
      name: "create changed any missing field", term: field("Nope", .changed(from: nil, to: nil)),
      document: #"{"Object":{"Stage":"b"}}"#, plain: true, event: true),
    EvaluationCase(
      name: "null Original counts as absent", term: field("Stage", .changed(from: nil, to: nil)),
      document: #"{"Object":{"Stage":"b"},"Original":null}"#, plain: true, event: true),
    EvaluationCase(
      name: "null Object counts as absent", term: field("Stage", .changed(from: "b", to: nil)),
      document: #"{"Object":null,"Original":{"Stage":"b"}}"#, plain: true, event: true),
    EvaluationCase(
      name: "plain changed to reads the root", term: field("Stage", .changed(from: nil, to: "b")),
      document: #"{"Stage":"b","Object":{"Stage":"c"}}"#, plain: true, event: false),
    EvaluationCase(
      name: "changed to null value", term: field("Stage", .changed(from: nil, to: nil)),
      document: #"{"Object":{"Stage":null},"Original":{}}"#, plain: true, event: true),
  ]

  @Test(arguments: cases)
  func compiledAndReferenceAgree(_ c: EvaluationCase) throws {
    let compiled = CompiledFilter(Filter(c.term))
    let document = try JSONDocument(parsing: c.document)
    let value = document.value
    #expect(compiled.matches(document) == c.plain, "compiled, plain rules")
    #expect(
      ReferenceInterpreter.evaluate(c.term, on: value, asEvent: false) == c.plain,
      "reference, plain rules")
    let event = try Event(document: document)
    #expect(compiled.matches(event) == (c.event ?? c.plain), "compiled, event rules")
    #expect(
      ReferenceInterpreter.evaluate(c.term, on: value, asEvent: true) == (c.event ?? c.plain),
      "reference, event rules")
  }

  /// The string members of an event read as "" when missing or null, for fields that name them
  /// directly; plain JSON sees the document as it is.
  @Test(arguments: ["Type", "/Type", "#/Type", "Principal", "Time", "Action", "Key"])
  func eventStringMembersReadAsEmpty(field name: String) throws {
    for document in [
      #"{"Object":{}}"#, #"{"Type":null,"Action":null,"Key":null,"Time":null,"Principal":null}"#,
    ] {
      let event = try Event(parsing: document)
      let plain = try JSONDocument(parsing: document)
      for (test, eventResult) in [
        (FieldTest.eq(""), true), (.exists, true), (.eq(nil), false), (.in(["", "x"]), true),
      ] {
        let term = field(name, test)
        #expect(
          CompiledFilter(Filter(term)).matches(event) == eventResult,
          "\(name) \(test) on \(document)")
        #expect(ReferenceInterpreter.evaluate(term, on: plain.value, asEvent: true) == eventResult)
        #expect(
          CompiledFilter(Filter(term)).matches(plain)
            == ReferenceInterpreter.evaluate(term, on: plain.value, asEvent: false))
      }
    }
    #expect(
      CompiledFilter(Filter(field("Type.x", .exists))).matches(try Event(parsing: "{}")) == false)
    #expect(
      CompiledFilter(Filter(field("type", .exists))).matches(try Event(parsing: "{}")) == false)
  }

  @Test func compiledFilterIsUsableFromManyThreads() async throws {
    let filter = CompiledFilter(
      Filter(.and([field("Type", .eq("machines")), field("Object.Count", .in([1, 2, 3]))])))
    let hit = try Event(parsing: EvaluationTests.machine)
    let miss = try Event(parsing: #"{"Type":"jobs"}"#)
    let results = await withTaskGroup(of: Bool.self) { group in
      for i in 0..<64 {
        group.addTask {
          (0..<500).allSatisfy { _ in
            filter.matches(i.isMultiple(of: 2) ? hit : miss) == i.isMultiple(of: 2)
          }
        }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 64 && results.allSatisfy { $0 })
  }
}
