import Testing

@testable import Winnow

/// Random registrations, deregistrations and events, with the indexed registry checked against
/// a model: reference counts kept in a dictionary, and delivery computed by matching every
/// registered specifier one by one with the reference reading of SPEC section 2
/// (``ReferenceSpecifier``, the fuzzers' oracle), which shares no code with the index.
@Suite struct SubscriptionPropertyTests {
  static let machines = (0..<6).map { "m\($0)-3f7c2a9e-5d41-4b8a-9c0e" }
  static let workOrders = (0..<3).map { "w\($0)-e7d1c9b2-4a3f-4c6e" }
  static let types = ["machines", "jobs", "profiles", "work_orders", "machine_jobs"]
  static let actions = ["save", "create", "update", "delete"]
  static let filters = [
    #"Object.Stage=Eq("complete")"#, "Object.Stage=Changed()",
    #"Object.State=In("failed","running")"#,
    "Object.Name=Exists()", #"Not(Object.Stage=Eq("discover"))"#, #"Key=Re("1")"#,
    // Filters the operand index takes (on `*.actions.*` specifiers): Eq and In of every kind
    // of literal, alone or under And, and some it cannot take.
    #"Object.Machine=Eq("m1-3f7c2a9e-5d41-4b8a-9c0e")"#,
    #"Object.Machine=In("m0-3f7c2a9e-5d41-4b8a-9c0e","m2-3f7c2a9e-5d41-4b8a-9c0e")"#,
    "Object.Count=Eq(1)", "Object.Count=In(-0,2.0,1e0)", "Object.Flag=Eq(true)",
    "Object.Flag=In(false,null)",
    #"And(Object.Stage=Eq("complete"),Object.Count=In(1,2))"#,
    #"And(And(Object.Flag=Eq(false)),Not(Key=Eq("x")))"#,
    #"Object.Count=In(1,[1])"#, #"Object.Stage=Eq({"a":1})"#, #"Type=Eq("")"#,
    #"Type=In("jobs","profiles")"#,
    #"/Object/Stage=Eq("discover")"#,
    #"Object.Stage=In("discover","complete","x","y","z","w","v","u")"#,
  ]

  struct Generator {
    var rng: SeededGenerator
    mutating func int(_ upper: Int) -> Int { Int.random(in: 0..<upper, using: &rng) }
    mutating func pick<T>(_ values: [T]) -> T { values[int(values.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    /// One to three entries of `values`, or `*`.
    mutating func list(_ values: [String], star percent: Int) -> String {
      if chance(percent) { return "*" }
      return (0...int(2)).map { _ in pick(values) }.joined(separator: ",")
    }

    mutating func specifier() -> String {
      let keys =
        SubscriptionPropertyTests.machines + SubscriptionPropertyTests.workOrders + ["site\\1lab"]
      let types = SubscriptionPropertyTests.types + ["work_order_jobs"]
      let anyTypeAnyKey = chance(20)  // the operand index's specifiers, when filtered
      var text =
        list(types, star: anyTypeAnyKey ? 100 : 20) + "."
        + list(SubscriptionPropertyTests.actions, star: 60) + "."
        + list(keys, star: anyTypeAnyKey ? 100 : 40)
      if chance(anyTypeAnyKey ? 90 : 30) {
        // Spaces inside the filter: registrations are identified by the canonical form.
        text +=
          "."
          + pick(SubscriptionPropertyTests.filters).replacingOccurrences(
            of: "=", with: chance(50) ? " = " : "=")
      }
      return text
    }

    mutating func event() -> Event {
      let type = chance(5) ? "" : pick(SubscriptionPropertyTests.types)
      let key =
        chance(10)
        ? "site.lab"
        : pick(SubscriptionPropertyTests.machines + SubscriptionPropertyTests.workOrders)
      var object: [(key: String, value: JSONValue)] = []
      if chance(70) {
        object.append(
          ("Machine", chance(90) ? .string(pick(SubscriptionPropertyTests.machines)) : 7))
      }
      if chance(50) {
        object.append(
          ("WorkOrder", .string(chance(80) ? pick(SubscriptionPropertyTests.workOrders) : "")))
      }
      if chance(50) { object.append(("Stage", .string(pick(["complete", "discover"])))) }
      if chance(50) { object.append(("State", .string(pick(["failed", "running", "created"])))) }
      if chance(50) { object.append(("Name", "n")) }
      if chance(50) { object.append(("Count", pick([0, -0.0, 1, 1.0, 2, "1", true, [1]]))) }
      if chance(50) { object.append(("Flag", pick([true, false, .null, 0, "true"]))) }
      var members: [(key: String, value: JSONValue)] = [
        ("Type", .string(type)), ("Action", .string(pick(SubscriptionPropertyTests.actions))),
        ("Key", .string(key)),
      ]
      if chance(90) { members.append(("Object", .object(JSONObject(object)))) }
      if chance(40) { members.append(("Original", ["Stage": "discover"])) }
      return try! Event(JSONValue.object(JSONObject(members)))
    }
  }

  @Test func indexedDispatchAgreesWithALinearScan() throws {
    var g = Generator(rng: SeededGenerator(seed: 0x5EED_0007))
    let registry = SubscriptionRegistry<Int>()
    var model: [Int: [String: Int]] = [:]  // subscriber → canonical text → references
    var parsed: [String: ReferenceSpecifier] = [:]  // the oracle's specifiers, parsed once
    func specifier(_ text: String) throws -> ReferenceSpecifier {
      if let known = parsed[text] { return known }
      let specifier = try ReferenceSpecifier.parse(Array(text.utf8)).get()
      parsed[text] = specifier
      return specifier
    }
    var issues = 0
    var deliveries = 0
    for round in 0..<2_500 {
      // A few requests, then an event.
      for _ in 0..<(1 + g.int(3)) {
        let subscriber = g.int(40)
        let held = model[subscriber, default: [:]]
        if !held.isEmpty && g.chance(35) {
          // Mostly deregister what is held; sometimes what is not.
          let text = g.chance(85) ? held.keys.sorted()[g.int(held.count)] : g.specifier()
          let canonical = try specifier(text).canonicalText
          if let count = held[canonical] {
            try registry.deregister(text, for: subscriber)
            model[subscriber]![canonical] = count == 1 ? nil : count - 1
          } else {
            #expect(throws: SubscriptionError.notRegistered(canonical)) {
              try registry.deregister(text, for: subscriber)
            }
          }
        } else {
          let text = g.specifier()
          try registry.register(text, for: subscriber)
          model[subscriber, default: [:]][try specifier(text).canonicalText, default: 0] += 1
        }
        if model[subscriber]?.isEmpty == true { model[subscriber] = nil }
      }
      let event = g.event()
      let value = event.document.value
      let delivered = registry.subscribers(matching: event)
      var verdicts: [String: Bool] = [:]  // each distinct text is matched once per event
      func matches(_ text: String) -> Bool {
        if let known = verdicts[text] { return known }
        let verdict = try! specifier(text).matches(value)
        verdicts[text] = verdict
        return verdict
      }
      let expected = Set(model.filter { _, held in held.keys.contains(where: matches) }.keys)
      deliveries += expected.count
      if Set(delivered) != expected || delivered.count != expected.count {
        issues += 1
        if issues == 1 {
          Issue.record(
            "round \(round): delivered \(delivered.sorted()), expected \(expected.sorted())")
        }
      }
      if round % 500 == 0 {
        for (subscriber, held) in model { #expect(registry.registrations(of: subscriber) == held) }
      }
    }
    #expect(issues == 0)
    #expect(deliveries > 6_000, "the draws should deliver often")
    #expect(Set(registry.activeSubscribers) == Set(model.keys))
    // Deregistering everything empties the index.
    for (subscriber, held) in model {
      for (text, count) in held {
        for _ in 0..<count { try registry.deregister(text, for: subscriber) }
      }
    }
    #expect(registry.specifierCount == 0)
    #expect(registry.filterCount == 0)
    #expect(registry.activeSubscribers.isEmpty)
  }
}

/// `EventMatcher` (what `winnow match -f` runs) on random populations: it matches an event
/// exactly when one of its specifiers does by the reference reading, one by one.
@Suite struct EventMatcherPropertyTests {
  @Test(arguments: [1, 2, 5, 40, 400] as [Int])
  func matcherAgreesWithALinearScan(population: Int) throws {
    var g = SubscriptionPropertyTests.Generator(
      rng: SeededGenerator(seed: 0x5EED_0100 &+ UInt64(population)))
    for _ in 0..<(population >= 400 ? 2 : population >= 40 ? 8 : 30) {
      let texts = (0..<population).map { _ in g.specifier() }
      let references = try texts.map { try ReferenceSpecifier.parse(Array($0.utf8)).get() }
      let matcher = EventMatcher(try texts.map { try EventSpecifier(parsing: $0) })
      #expect(matcher.specifiers.count == Set(references.map(\.canonicalText)).count)
      let parser = EventParser()
      for _ in 0..<100 {
        let event = g.event()
        let value = event.document.value
        let expected = references.contains { $0.matches(value) }
        #expect(matcher.matches(event) == expected, "\(value.minified) against \(texts)")
        // The same through the parser, from the event's text.
        let bytes = Array(value.minified.utf8)
        let parsed = try bytes.withUnsafeBufferPointer { bytes throws(Diagnostic) in
          matcher.matches(try parser.parse(bytes))
        }
        #expect(parsed == expected)
        if population == 1 {
          #expect(try EventSpecifier(parsing: texts[0]).matches(event) == expected)
        }
      }
    }
  }

  /// A matcher of one `*.*.*` specifier checks its filter alone, without the index: it must
  /// agree with the reference reading for every filter of the generator, and with no filter.
  @Test func soleAnyTypeActionKeySpecifierAgreesWithTheReference() throws {
    var g = SubscriptionPropertyTests.Generator(rng: SeededGenerator(seed: 0x5EED_0200))
    let texts = ["*.*.*"] + SubscriptionPropertyTests.filters.map { "*.*.*." + $0 }
    let events = (0..<200).map { _ in g.event() }
    for text in texts {
      let reference = try ReferenceSpecifier.parse(Array(text.utf8)).get()
      let matcher = EventMatcher(try EventSpecifier(parsing: text))
      var matched = 0
      for event in events {
        let expected = reference.matches(event.document.value)
        #expect(
          matcher.matches(event) == expected, "\(event.document.value.minified) against \(text)")
        if expected { matched += 1 }
      }
      #expect(matched > 0 || text != "*.*.*", "\(text) matched nothing")
    }
  }
}
