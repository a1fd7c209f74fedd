import Testing

@testable import Winnow

/// A specifier and the indices of the sample events it must match (and no others).
struct SpecifierMatchCase: Sendable, CustomTestStringConvertible {
  let name: String
  let specifier: String
  let matches: Set<Int>
  var testDescription: String { name }
}

/// Real-shaped DRP events, shared by the specifier and subscription tests.
enum SampleEvents {
  static let m1 = "3f7c2a9e-5d41-4b8a-9c0e-7d2b5e8f1a60"
  static let m2 = "0b8e4c1d-2f6a-4e3b-8d9c-5a7f1e2b3c4d"
  static let w1 = "e7d1c9b2-4a3f-4c6e-8b1d-0f2a9c7e5b34"
  static let j1 = "b2e1d4f6-8c3e-4f0a-9b7d-2e4f6a8b0c31"
  static let j2 = "c3f2e5a7-9d4f-4a1b-8c8e-3f5a7b9c1d42"

  static let texts: [String] = [
    // 0: a machine saved, its stage changed.
    #"{"Time":"2017-12-21T23:26:43Z","Type":"machines","Action":"save","Key":"\#(m1)","Principal":"user:rocketskates","Object":{"Uuid":"\#(m1)","Name":"node-7.lab","Stage":"complete"},"Original":{"Uuid":"\#(m1)","Name":"node-7.lab","Stage":"finish-install"}}"#,
    // 1: a machine created.
    #"{"Type":"machines","Action":"create","Key":"\#(m2)","Object":{"Uuid":"\#(m2)","Name":"node-3.lab","Stage":"discover"}}"#,
    // 2: a job of machine m1, no work order.
    #"{"Type":"jobs","Action":"create","Key":"\#(j1)","Object":{"Uuid":"\#(j1)","Machine":"\#(m1)","WorkOrder":"","State":"running"}}"#,
    // 3: a job of machine m2 for work order w1.
    #"{"Type":"jobs","Action":"update","Key":"\#(j2)","Object":{"Uuid":"\#(j2)","Machine":"\#(m2)","WorkOrder":"\#(w1)","State":"failed"},"Original":{"Uuid":"\#(j2)","Machine":"\#(m2)","WorkOrder":"\#(w1)","State":"running"}}"#,
    // 4: the work order itself (it names a machine, but it is not a job).
    #"{"Type":"work_orders","Action":"create","Key":"\#(w1)","Object":{"Uuid":"\#(w1)","Machine":"\#(m2)","State":"created"}}"#,
    // 5, 6: profiles, one with a dot in its key.
    #"{"Type":"profiles","Action":"save","Key":"site.lab","Object":{"Name":"site.lab","Params":{"x":1}},"Original":{"Name":"site.lab","Params":{}}}"#,
    #"{"Type":"profiles","Action":"save","Key":"global","Object":{"Name":"global","Params":{"bar":"blatz"}},"Original":{"Name":"global","Params":{}}}"#,
    // 7: a machine deleted.
    #"{"Type":"machines","Action":"delete","Key":"\#(m2)","Object":{"Uuid":"\#(m2)","Name":"node-3.lab","Stage":"discover"}}"#,
    // 8, 9: keys holding a star and a comma.
    #"{"Type":"bootenvs","Action":"save","Key":"a*b","Object":{"Name":"a*b"},"Original":{"Name":"a*b"}}"#,
    #"{"Type":"params","Action":"create","Key":"a,b","Object":{"Name":"a,b"}}"#,
    // 10: a job with no machine; 11: a job whose Machine is not a string.
    #"{"Type":"jobs","Action":"create","Key":"j3","Object":{"Uuid":"j3","State":"created"}}"#,
    #"{"Type":"jobs","Action":"create","Key":"j4","Object":{"Machine":7}}"#,
    // 12: a Type spelled like the special entry.
    #"{"Type":"machine_jobs","Action":"create","Key":"\#(m1)","Object":{"Machine":"\#(m1)"}}"#,
    // 13: no Type (reads as "").
    #"{"Action":"save","Key":"k"}"#,
    // 14: the profile an old client meant by `profiles.save.my.profile` is `my.profile`; this is `my`.
    #"{"Type":"profiles","Action":"save","Key":"my","Object":{"Name":"my"}}"#,
    // 15: a job whose Machine member repeats: the last one counts, as for any field.
    #"{"Type":"jobs","Action":"create","Key":"j5","Object":{"Machine":"\#(m2)","Machine":"\#(m1)"}}"#,
    // 16: a job whose Object is null.
    #"{"Type":"jobs","Action":"create","Key":"j6","Object":null}"#,
  ]

  static let events: [Event] = texts.map { try! Event(parsing: $0) }
}

@Suite struct EventSpecifierMatchingTests {
  typealias S = SampleEvents
  static let allJobs: Set<Int> = [2, 3, 10, 11, 15, 16]

  static let cases: [SpecifierMatchCase] = [
    SpecifierMatchCase(name: "everything", specifier: "*.*.*", matches: Set(0..<S.texts.count)),
    SpecifierMatchCase(name: "type", specifier: "machines.*.*", matches: [0, 1, 7]),
    SpecifierMatchCase(name: "type and action", specifier: "machines.save.*", matches: [0]),
    SpecifierMatchCase(
      name: "type list", specifier: "machines,profiles.save.*", matches: [0, 5, 6, 14]),
    SpecifierMatchCase(
      name: "action list", specifier: "machines.create,delete.*", matches: [1, 7]),
    SpecifierMatchCase(name: "key", specifier: "machines.*.\(S.m2)", matches: [1, 7]),
    SpecifierMatchCase(
      name: "key list", specifier: "machines.*.\(S.m1),\(S.m2)", matches: [0, 1, 7]),
    SpecifierMatchCase(name: "any type with a key", specifier: "*.*.\(S.m1)", matches: [0, 12]),
    SpecifierMatchCase(name: "missing Type reads as empty", specifier: "*.*.k", matches: [13]),
    SpecifierMatchCase(name: "action only", specifier: "*.save.*", matches: [0, 5, 6, 8, 13, 14]),
    SpecifierMatchCase(name: "no such action", specifier: "machines.update.*", matches: []),
    SpecifierMatchCase(name: "case matters", specifier: "Machines.*.*", matches: []),
    // Escapes.
    SpecifierMatchCase(name: "escaped dot", specifier: #"profiles.save.site\1lab"#, matches: [5]),
    SpecifierMatchCase(
      name: "old client key is not the dotted key", specifier: "profiles.save.my", matches: [14]),
    SpecifierMatchCase(
      name: "escaped dot key", specifier: #"profiles.save.my\1profile"#, matches: []),
    SpecifierMatchCase(name: "escaped comma", specifier: #"params.*.a\2b"#, matches: [9]),
    SpecifierMatchCase(name: "literal star inside", specifier: "bootenvs.*.a*b", matches: [8]),
    SpecifierMatchCase(name: "escaped star inside", specifier: #"bootenvs.*.a\3b"#, matches: [8]),
    SpecifierMatchCase(name: "escaped star alone is literal", specifier: #"*.*.\3"#, matches: []),
    SpecifierMatchCase(name: "double star is literal", specifier: "*.*.**", matches: []),
    // Special job entries.
    SpecifierMatchCase(
      name: "machine jobs", specifier: "machine_jobs.*.\(S.m1)", matches: [2, 15]),
    SpecifierMatchCase(
      name: "machine jobs of another machine", specifier: "machine_jobs.*.\(S.m2)", matches: [3]),
    SpecifierMatchCase(
      name: "machine jobs of a list", specifier: "machine_jobs.*.\(S.m1),\(S.m2)",
      matches: [2, 3, 15]),
    SpecifierMatchCase(
      name: "machine jobs, any key", specifier: "machine_jobs.*.*", matches: allJobs),
    SpecifierMatchCase(
      name: "machine jobs, by action", specifier: "machine_jobs.update.*", matches: [3]),
    SpecifierMatchCase(
      name: "machine jobs ignore the job's Key", specifier: "machine_jobs.*.\(S.j1)", matches: []),
    SpecifierMatchCase(
      name: "work order jobs", specifier: "work_order_jobs.*.\(S.w1)", matches: [3]),
    SpecifierMatchCase(
      name: "work order jobs, empty work order", specifier: "work_order_jobs.*.\(S.m1)", matches: []
    ),
    SpecifierMatchCase(
      name: "work order jobs, any key", specifier: "work_order_jobs.*.*", matches: allJobs),
    SpecifierMatchCase(
      name: "machine and its jobs", specifier: "machines,machine_jobs.*.\(S.m1)",
      matches: [0, 2, 15]),
    SpecifierMatchCase(
      name: "machines and all jobs", specifier: "machines,machine_jobs.*.*",
      matches: allJobs.union([0, 1, 7])),
    SpecifierMatchCase(name: "jobs by their own key", specifier: "jobs.*.\(S.j1)", matches: [2]),
    SpecifierMatchCase(
      name: "jobs and machine jobs", specifier: "jobs,machine_jobs.*.\(S.j1),\(S.m2)",
      matches: [2, 3]),
    SpecifierMatchCase(
      name: "both job entries", specifier: "machine_jobs,work_order_jobs.*.\(S.w1)", matches: [3]),
    SpecifierMatchCase(
      name: "special entry is not a literal type", specifier: "machine_jobs.create.*",
      matches: [2, 10, 11, 15, 16]),
    // Filters, under the event rules.
    SpecifierMatchCase(
      name: "filter", specifier: #"machines.*.*.Object.Stage=Eq("complete")"#, matches: [0]),
    SpecifierMatchCase(
      name: "filter on Type", specifier: #"*.*.*.Type=Eq("machine_jobs")"#, matches: [12]),
    SpecifierMatchCase(
      name: "Changed to", specifier: #"machines.save.*.Stage=Changed(,"complete")"#, matches: [0]),
    SpecifierMatchCase(
      name: "Changed on creates", specifier: "machines.*.*.Stage=Changed()", matches: [0, 1, 7]),
    SpecifierMatchCase(
      name: "Changed from", specifier: #"jobs.*.*.State=Changed("running")"#, matches: [3]),
    SpecifierMatchCase(
      name: "In over job states", specifier: #"jobs.*.*.Object.State=In("failed","running")"#,
      matches: [2, 3]),
    SpecifierMatchCase(
      name: "filter with machine jobs",
      specifier: #"machine_jobs.*.\#(S.m1).Object.State=Eq("running")"#, matches: [2]),
    SpecifierMatchCase(
      name: "filter false", specifier: #"machines.*.*.Object.Stage=Eq("nope")"#, matches: []),
    SpecifierMatchCase(
      name: "Ne is true when missing", specifier: #"jobs.*.*.Object.State=Ne("failed")"#,
      matches: [2, 10, 11, 15, 16]),
    SpecifierMatchCase(
      name: "pointer field", specifier: #"profiles.*.*./Object/Params/bar=Exists()"#, matches: [6]),
  ]

  @Test(arguments: cases)
  func matches(_ c: SpecifierMatchCase) throws {
    let specifier = try EventSpecifier(parsing: c.specifier)
    let matched = Set(S.events.indices.filter { specifier.matches(S.events[$0]) })
    #expect(matched == c.matches)
  }

  @Test func filterAgreesWithCompiledFilter() throws {
    let specifier = try EventSpecifier(parsing: #"*.*.*.Or(Object.Stage=Exists(),Key=Re("x"))"#)
    let compiled = try #require(specifier.filter).compiled()
    for event in S.events { #expect(specifier.matches(event) == compiled.matches(event)) }
  }

  /// The matcher a specifier builds for itself goes away with the specifier (it once held a copy
  /// of the specifier whose cache held the matcher: a reference cycle).
  @Test func theSoleMatcherDoesNotOutliveItsSpecifier() throws {
    weak var matcher: EventMatcher?
    do {
      let specifier = try EventSpecifier(parsing: #"machines.*.*.Object.Stage=Eq("done")"#)
      _ = specifier.matches(S.events[0])  // builds the matcher
      matcher = specifier.soleMatcher
      #expect(matcher != nil)
    }
    #expect(matcher == nil)
  }
}
