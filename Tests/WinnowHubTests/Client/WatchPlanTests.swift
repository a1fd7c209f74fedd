import Testing
import Winnow
import WinnowHub

@Suite("WatchPlan: what is registered, and what is filtered on the client")
struct WatchPlanTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let specifiers: [String]
    /// The commands sent to a server with websocket-changed-filter.
    let filtering: [String]
    /// The commands sent to one without.
    let plain: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "filters go to a filtering server as given",
      specifiers: [#"machines.save.*.Stage = Changed()"#, "jobs.*.*"],
      filtering: [#"register machines.save.*.Stage = Changed()"#, "register jobs.*.*"],
      plain: ["register machines.save.*", "register jobs.*.*"]),
    Case(
      name: "the same t.a.k part is registered once",
      specifiers: [#"machines.*.*.Name=Eq("a")"#, #"machines.*.*.Name=Eq("b")"#, "machines.*.*"],
      filtering: [
        #"register machines.*.*.Name=Eq("a")"#, #"register machines.*.*.Name=Eq("b")"#,
        "register machines.*.*",
      ],
      plain: ["register machines.*.*"]),
    Case(
      name: "specifiers equal in canonical form are registered once",
      specifiers: [#"a.b.c.X=Eq(1)"#, #"a.b.c.X = Eq( 1 )"#],
      filtering: [#"register a.b.c.X=Eq(1)"#],
      plain: ["register a.b.c"]),
    Case(
      name: "escaped dots stay inside the key",
      specifiers: [#"profiles.save.my\1profile.Name=Exists()"#],
      filtering: [#"register profiles.save.my\1profile.Name=Exists()"#],
      plain: [#"register profiles.save.my\1profile"#]),
    Case(
      name: "special types and lists are kept",
      specifiers: [#"machines,machine_jobs.*.u1,u2.Object.State=Ne("failed")"#],
      filtering: [#"register machines,machine_jobs.*.u1,u2.Object.State=Ne("failed")"#],
      plain: ["register machines,machine_jobs.*.u1,u2"]),
  ]

  static func parse(_ texts: [String]) throws -> [WatchSpecifier] {
    try texts.map { try WatchSpecifier(parsing: $0) }
  }

  @Test(arguments: cases)
  func commands(_ c: Case) throws {
    let specifiers = try Self.parse(c.specifiers)
    let filtering = WatchPlan(specifiers: specifiers, serverFilters: true)
    #expect(filtering.commands == c.filtering)
    #expect(filtering.localFilter == nil)
    let plain = WatchPlan(specifiers: specifiers, serverFilters: false)
    #expect(plain.commands == c.plain)
    #expect(plain.localFilter != nil)
  }

  struct Decision: CustomTestStringConvertible, Sendable {
    let name: String
    let event: String
    let accepted: Bool
    var testDescription: String { name }
  }

  /// Registered on a plain server: `machines.save.*` and `jobs.*.*`; the filters apply here.
  static let watched = [
    #"machines.save.*.Stage=Changed(,"complete")"#, #"jobs.*.*.Object.State=Eq("failed")"#,
  ]

  static let decisions: [Decision] = [
    Decision(
      name: "stage changed to complete",
      event:
        #"{"Type":"machines","Action":"save","Key":"m","Object":{"Stage":"complete"},"Original":{"Stage":"discover"}}"#,
      accepted: true),
    Decision(
      name: "stage unchanged",
      event:
        #"{"Type":"machines","Action":"save","Key":"m","Object":{"Stage":"complete"},"Original":{"Stage":"complete"}}"#,
      accepted: false),
    Decision(
      name: "a failed job",
      event: #"{"Type":"jobs","Action":"update","Key":"j","Object":{"State":"failed"}}"#,
      accepted: true),
    Decision(
      name: "a running job",
      event: #"{"Type":"jobs","Action":"update","Key":"j","Object":{"State":"running"}}"#,
      accepted: false),
    Decision(
      name: "outside every t.a.k part (an old server's extra)",
      event: #"{"Type":"profiles","Action":"save","Key":"p","Object":{"State":"failed"}}"#,
      accepted: false),
    Decision(
      name: "matched by both is accepted (once)",
      event:
        #"{"Type":"jobs","Action":"save","Key":"j","Object":{"State":"failed","Stage":"complete"}}"#,
      accepted: true),
  ]

  @Test(arguments: decisions)
  func filtersLocally(_ d: Decision) throws {
    let plan = WatchPlan(specifiers: try Self.parse(Self.watched), serverFilters: false)
    #expect(plan.accepts(try Event(parsing: d.event)) == d.accepted)
    // A filtering server already chose: everything it sends is accepted.
    let filtering = WatchPlan(specifiers: try Self.parse(Self.watched), serverFilters: true)
    #expect(filtering.accepts(try Event(parsing: d.event)))
  }

  @Test func typeActionKeyOfPlainSpecifiers() throws {
    #expect(try WatchSpecifier(parsing: "a.b.c").typeActionKey == "a.b.c")
    #expect(try WatchSpecifier(parsing: #"*.*.*.Key=Re("a\\.b")"#).typeActionKey == "*.*.*")
  }

  @Test func rejectsInvalidSpecifiersWithTheirPosition() {
    #expect {
      try WatchSpecifier(parsing: "a..c")
    } throws: { error in
      (error as? Diagnostic)?.offset == 2
    }
  }
}
