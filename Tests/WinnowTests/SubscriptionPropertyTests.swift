import Testing

@testable import Winnow

/// Random registrations, deregistrations and events, with the indexed registry checked against
/// a model: reference counts kept in a dictionary, and delivery computed by matching every
/// registered specifier (``EventSpecifier/matches(_:)``) one by one.
@Suite struct SubscriptionPropertyTests {
  static let machines = (0..<6).map { "m\($0)-3f7c2a9e-5d41-4b8a-9c0e" }
  static let workOrders = (0..<3).map { "w\($0)-e7d1c9b2-4a3f-4c6e" }
  static let types = ["machines", "jobs", "profiles", "work_orders", "machine_jobs"]
  static let actions = ["save", "create", "update", "delete"]
  static let filters = [
    #"Object.Stage=Eq("complete")"#, "Object.Stage=Changed()", #"Object.State=In("failed","running")"#,
    "Object.Name=Exists()", #"Not(Object.Stage=Eq("discover"))"#, #"Key=Re("1")"#,
  ]

  struct Generator {
    var rng: SeededGenerator
    mutating func int(_ upper: Int) -> Int { Int.random(in: 0..<upper, using: &rng) }
    mutating func pick(_ values: [String]) -> String { values[int(values.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    /// One to three entries of `values`, or `*`.
    mutating func list(_ values: [String], star percent: Int) -> String {
      if chance(percent) { return "*" }
      return (0...int(2)).map { _ in pick(values) }.joined(separator: ",")
    }

    mutating func specifier() -> String {
      let keys = SubscriptionPropertyTests.machines + SubscriptionPropertyTests.workOrders + ["site\\1lab"]
      let types = SubscriptionPropertyTests.types + ["work_order_jobs"]
      var text = list(types, star: 20) + "." + list(SubscriptionPropertyTests.actions, star: 60) + "."
        + list(keys, star: 40)
      if chance(30) {
        // Spaces inside the filter: registrations are identified by the canonical form.
        text += "." + pick(SubscriptionPropertyTests.filters).replacingOccurrences(of: "=", with: chance(50) ? " = " : "=")
      }
      return text
    }

    mutating func event() -> Event {
      let type = pick(SubscriptionPropertyTests.types)
      let key = chance(10) ? "site.lab" : pick(SubscriptionPropertyTests.machines + SubscriptionPropertyTests.workOrders)
      var object: [(key: String, value: JSONValue)] = []
      if chance(70) { object.append(("Machine", chance(90) ? .string(pick(SubscriptionPropertyTests.machines)) : 7)) }
      if chance(50) { object.append(("WorkOrder", .string(chance(80) ? pick(SubscriptionPropertyTests.workOrders) : ""))) }
      if chance(50) { object.append(("Stage", .string(pick(["complete", "discover"])))) }
      if chance(50) { object.append(("State", .string(pick(["failed", "running", "created"])))) }
      if chance(50) { object.append(("Name", "n")) }
      var members: [(key: String, value: JSONValue)] = [
        ("Type", .string(type)), ("Action", .string(pick(SubscriptionPropertyTests.actions))), ("Key", .string(key)),
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
    var parsed: [String: EventSpecifier] = [:]  // the oracle's specifiers, parsed once
    func specifier(_ text: String) throws -> EventSpecifier {
      if let known = parsed[text] { return known }
      let specifier = try EventSpecifier(parsing: text)
      parsed[text] = specifier
      return specifier
    }
    var issues = 0
    var deliveries = 0
    for round in 0..<4_000 {
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
            #expect(throws: SubscriptionError.notRegistered(canonical)) { try registry.deregister(text, for: subscriber) }
          }
        } else {
          let text = g.specifier()
          try registry.register(text, for: subscriber)
          model[subscriber, default: [:]][try specifier(text).canonicalText, default: 0] += 1
        }
        if model[subscriber]?.isEmpty == true { model[subscriber] = nil }
      }
      let event = g.event()
      let delivered = registry.subscribers(matching: event)
      let expected = Set(
        model.filter { _, held in held.keys.contains { try! specifier($0).matches(event) } }.keys)
      deliveries += expected.count
      if Set(delivered) != expected || delivered.count != expected.count {
        issues += 1
        if issues == 1 {
          Issue.record("round \(round): delivered \(delivered.sorted()), expected \(expected.sorted())")
        }
      }
      if round % 500 == 0 {
        for (subscriber, held) in model { #expect(registry.registrations(of: subscriber) == held) }
      }
    }
    #expect(issues == 0)
    #expect(deliveries > 10_000, "the draws should deliver often")
    #expect(Set(registry.activeSubscribers) == Set(model.keys))
    // Deregistering everything empties the index.
    for (subscriber, held) in model {
      for (text, count) in held { for _ in 0..<count { try registry.deregister(text, for: subscriber) } }
    }
    #expect(registry.specifierCount == 0)
    #expect(registry.filterCount == 0)
    #expect(registry.activeSubscribers.isEmpty)
  }
}
