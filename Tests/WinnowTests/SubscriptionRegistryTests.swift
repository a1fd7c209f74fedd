import Testing

@testable import Winnow

/// A sequence of register/deregister requests from one subscriber, with what each must do, and
/// the registrations it must leave.
struct SubscriptionSequenceCase: Sendable, CustomTestStringConvertible {
  enum Step: Sendable {
    case register(String)
    case deregister(String)
    /// A request that must be refused with this error.
    case refusedRegister(String, SubscriptionError)
    case refusedDeregister(String, SubscriptionError)
  }

  let name: String
  let steps: [Step]
  let registrations: [String: Int]
  /// Whether the sample machine event (index 0) is delivered at the end.
  let delivered: Bool
  var testDescription: String { name }
}

@Suite struct SubscriptionRegistryTests {
  typealias S = SampleEvents
  static let machines = "machines.*.*"

  static func diagnostic(_ text: String) -> Diagnostic {
    do {
      _ = try EventSpecifier(parsing: text)
      return Diagnostic(.invalidSpecifier, "accepted", at: -1)
    } catch { return error }
  }

  static let sequences: [SubscriptionSequenceCase] = [
    SubscriptionSequenceCase(
      name: "register once", steps: [.register(machines)], registrations: [machines: 1],
      delivered: true),
    SubscriptionSequenceCase(
      name: "register twice, deregister once: still active",
      steps: [.register(machines), .register(machines), .deregister(machines)],
      registrations: [machines: 1], delivered: true),
    SubscriptionSequenceCase(
      name: "register twice, deregister twice: inactive",
      steps: [
        .register(machines), .register(machines), .deregister(machines), .deregister(machines),
      ],
      registrations: [:], delivered: false),
    SubscriptionSequenceCase(
      name: "deregister once more: an error that changes nothing",
      steps: [
        .register(machines), .register(machines), .deregister(machines), .deregister(machines),
        .refusedDeregister(machines, .notRegistered(machines)),
      ],
      registrations: [:], delivered: false),
    SubscriptionSequenceCase(
      name: "deregister what was never registered",
      steps: [
        .register(machines),
        .refusedDeregister("machines.save.*", .notRegistered("machines.save.*")),
      ],
      registrations: [machines: 1], delivered: true),
    SubscriptionSequenceCase(
      name: "deregister before any register",
      steps: [.refusedDeregister(machines, .notRegistered(machines))], registrations: [:],
      delivered: false),
    SubscriptionSequenceCase(
      name: "invalid specifier is refused and changes nothing",
      steps: [
        .register(machines),
        .refusedRegister("machines.*", .invalidSpecifier(diagnostic("machines.*"))),
        .refusedRegister(
          "profiles.save.my.profile", .invalidSpecifier(diagnostic("profiles.save.my.profile"))),
      ],
      registrations: [machines: 1], delivered: true),
    SubscriptionSequenceCase(
      name: "invalid deregister is refused and changes nothing",
      steps: [
        .register(machines),
        .refusedDeregister("machines..*", .invalidSpecifier(diagnostic("machines..*"))),
      ],
      registrations: [machines: 1], delivered: true),
    SubscriptionSequenceCase(
      name: "whitespace in the filter is the same registration",
      steps: [
        .register("a.b.c.X=Eq(1)"), .register("a.b.c.X = Eq( 1 )"), .deregister("a.b.c.X=Eq( 1)"),
      ],
      registrations: ["a.b.c.X=Eq(1)": 1], delivered: false),
    SubscriptionSequenceCase(
      name: "deregister by the canonical form of what was registered",
      steps: [
        .register("a.b.c.X = Eq(1)"), .register("a.b.c.X=Eq(1)"), .deregister("a.b.c.X=Eq(1)"),
      ],
      registrations: ["a.b.c.X=Eq(1)": 1], delivered: false),
    SubscriptionSequenceCase(
      name: "a canonical text that is registered is still checked against the subscriber",
      steps: [
        .register("a.b.c.X=Eq(1)"), .deregister("a.b.c.X=Eq(1)"),
        .refusedDeregister("a.b.c.X=Eq(1)", .notRegistered("a.b.c.X=Eq(1)")),
      ],
      registrations: [:], delivered: false),
    SubscriptionSequenceCase(
      name: "a different spelling of the parts is a different registration",
      steps: [
        .register("a.b.x*y"), .refusedDeregister(#"a.b.x\3y"#, .notRegistered(#"a.b.x\3y"#)),
      ],
      registrations: ["a.b.x*y": 1], delivered: false),
    SubscriptionSequenceCase(
      name: "several registrations counted apart",
      steps: [
        .register(machines), .register("machines.save.*"), .register("machines.save.*"),
        .register("*.*.*.Object.Stage=Exists()"), .deregister(machines),
      ],
      registrations: ["machines.save.*": 2, "*.*.*.Object.Stage=Exists()": 1], delivered: true),
    SubscriptionSequenceCase(
      name: "the last of several deregistered",
      steps: [
        .register(machines), .register("machines.save.*"), .deregister("machines.save.*"),
        .deregister(machines),
      ],
      registrations: [:], delivered: false),
  ]

  @Test(arguments: sequences)
  func followsTheSequence(_ c: SubscriptionSequenceCase) throws {
    let registry = SubscriptionRegistry<String>()
    for step in c.steps {
      switch step {
      case .register(let text):
        try registry.register(text, for: "client")
      case .deregister(let text):
        try registry.deregister(text, for: "client")
      case .refusedRegister(let text, let error):
        let before = registry.registrations(of: "client")
        #expect(throws: error) { try registry.register(text, for: "client") }
        #expect(registry.registrations(of: "client") == before)
      case .refusedDeregister(let text, let error):
        let before = registry.registrations(of: "client")
        #expect(throws: error) { try registry.deregister(text, for: "client") }
        #expect(registry.registrations(of: "client") == before)
      }
    }
    #expect(registry.registrations(of: "client") == c.registrations)
    #expect(registry.subscribers(matching: S.events[0]) == (c.delivered ? ["client"] : []))
    #expect(registry.activeSubscribers == (c.registrations.isEmpty ? [] : ["client"]))
    #expect(registry.specifierCount == c.registrations.count)
  }

  /// Every specifier of the matching table, registered at once by its own subscriber, delivers
  /// each sample event to exactly the subscribers whose specifier matches it.
  @Test func dispatchAgreesWithTheMatchingTable() throws {
    let registry = SubscriptionRegistry<String>()
    for c in EventSpecifierMatchingTests.cases { try registry.register(c.specifier, for: c.name) }
    for (i, event) in S.events.enumerated() {
      let expected = Set(
        EventSpecifierMatchingTests.cases.filter { $0.matches.contains(i) }.map(\.name))
      let delivered = registry.subscribers(matching: event)
      #expect(Set(delivered) == expected, "event \(i)")
      #expect(delivered.count == Set(delivered).count, "event \(i) delivered twice")
    }
  }

  @Test func deliversOnceHoweverManyRegistrationsMatch() throws {
    let registry = SubscriptionRegistry<Int>()
    for text in [
      "*.*.*", "machines.*.*", "machines.save.\(S.m1)", "*.*.\(S.m1)", "machines,profiles.*.*",
      "machines.*.*.Object.Stage=Eq(\"complete\")", "machines,machine_jobs.*.\(S.m1)",
    ] {
      try registry.register(text, for: 1)
      try registry.register(text, for: 1)
      try registry.register(text, for: 2)
    }
    try registry.register("machines.*.*", for: 3)
    #expect(registry.subscribers(matching: S.events[0]).sorted() == [1, 2, 3])
    // A job reaches the same specifier through two buckets (its type and its machine).
    try registry.register("jobs,machine_jobs.*.\(S.j1),\(S.m1)", for: 4)
    #expect(registry.subscribers(matching: S.events[2]).sorted() == [1, 2, 4])
  }

  @Test func sharedFiltersAreCompiledOnce() throws {
    let registry = SubscriptionRegistry<Int>()
    try registry.register(#"machines.*.*.Object.Stage=Eq("complete")"#, for: 1)
    try registry.register(#"*.*.*.Object.Stage = Eq( "complete" )"#, for: 2)
    try registry.register(#"machines.*.\#(S.m1).Object.Stage=Eq("complete")"#, for: 3)
    try registry.register("machines.*.*.Object.Stage=Exists()", for: 4)
    #expect(registry.specifierCount == 4)
    #expect(registry.filterCount == 2)
    #expect(registry.subscribers(matching: S.events[0]).sorted() == [1, 2, 3, 4])
    #expect(registry.subscribers(matching: S.events[1]).sorted() == [4])
    try registry.deregister(#"*.*.*.Object.Stage=Eq("complete")"#, for: 2)
    try registry.deregister(#"machines.*.*.Object.Stage=Eq("complete")"#, for: 1)
    #expect(registry.filterCount == 2)
    try registry.deregister(#"machines.*.\#(S.m1).Object.Stage=Eq("complete")"#, for: 3)
    #expect(registry.filterCount == 1)
    #expect(registry.subscribers(matching: S.events[0]) == [4])
  }

  @Test func subscribersShareARegistrationIndependently() throws {
    let registry = SubscriptionRegistry<String>()
    try registry.register("machines.*.*", for: "a")
    try registry.register("machines.*.*", for: "b")
    try registry.deregister("machines.*.*", for: "a")
    #expect(throws: SubscriptionError.notRegistered("machines.*.*")) {
      try registry.deregister("machines.*.*", for: "a")
    }
    #expect(registry.subscribers(matching: S.events[0]) == ["b"])
    #expect(registry.specifierCount == 1)
  }

  @Test func deregisterAllForgetsTheSubscriber() throws {
    let registry = SubscriptionRegistry<String>()
    try registry.register("machines.*.*", for: "a")
    try registry.register("machines.*.*", for: "a")
    try registry.register("jobs.*.*", for: "a")
    try registry.register("jobs.*.*", for: "b")
    #expect(registry.deregisterAll(for: "a") == 3)
    #expect(registry.deregisterAll(for: "a") == 0)
    #expect(registry.registrations(of: "a") == [:])
    #expect(registry.subscribers(matching: S.events[0]) == [])
    #expect(registry.subscribers(matching: S.events[2]) == ["b"])
    #expect(registry.activeSubscribers == ["b"])
    #expect(registry.specifierCount == 1)
  }

  @Test func appendsToACallerArray() throws {
    let registry = SubscriptionRegistry<Int>()
    try registry.register("machines.*.*", for: 7)
    var result = [1]
    registry.appendSubscribers(matching: S.events[0], to: &result)
    registry.appendSubscribers(matching: S.events[5], to: &result)
    #expect(result == [1, 7])
  }

  /// The registry parses with its limits (`maxBytes` limits the filter part, Grammar decision 13).
  @Test func parsesWithTheRegistryLimits() {
    let registry = SubscriptionRegistry<Int>(limits: ParseLimits(maxBytes: 10))
    #expect(
      throws: SubscriptionError.invalidSpecifier(
        Diagnostic(.limitExceeded, "the filter is longer than 10 bytes", at: 23))
    ) {
      try registry.register("machines.*.*.abc=Exists()", for: 1)
    }
    #expect(registry.specifierCount == 0)
    #expect(throws: Never.self) { try registry.register("machines.*.*.a=Exists()", for: 1) }
  }
}
