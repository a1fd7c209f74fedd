import Testing

@testable import Winnow

@Suite struct SubscriptionConcurrencyTests {
  typealias S = SampleEvents

  /// Dispatch from many tasks while another registers and deregisters: a subscriber with a
  /// permanent registration is always delivered, nobody is delivered twice, and a churning
  /// subscriber is delivered only for events its specifiers match.
  @Test func dispatchStaysConsistentWhileRegistrationsChange() async throws {
    let registry = SubscriptionRegistry<Int>()
    let permanent = 0
    try registry.register("machines.*.*", for: permanent)
    try registry.register("machine_jobs.*.*", for: permanent)
    let churn = [
      "machines.*.*", "*.*.*", "machines.save.\(S.m1)", "machine_jobs.*.\(S.m1)",
      #"machines.*.*.Object.Stage=Eq("complete")"#, "jobs,machine_jobs.*.\(S.j1),\(S.m1)",
    ]
    let churners = 1...20
    // Events every churning specifier could match, and one none can (a profile).
    let events = [S.events[0], S.events[2], S.events[6]]

    let failures = await withTaskGroup(of: Int.self) { group in
      group.addTask {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<3_000 {
          let subscriber = churners.randomElement(using: &rng)!
          let text = churn.randomElement(using: &rng)!
          if (try? registry.deregister(text, for: subscriber)) == nil {
            try? registry.register(text, for: subscriber)
          }
        }
        return 0
      }
      for task in 0..<4 {
        group.addTask {
          var failures = 0
          for round in 0..<1_500 {
            let event = events[(round + task) % events.count]
            let delivered = registry.subscribers(matching: event)
            let isProfile = event.type == "profiles"
            if delivered.contains(permanent) == isProfile { failures += 1 }
            if Set(delivered).count != delivered.count { failures += 1 }
            if isProfile && delivered.contains(where: { $0 != permanent && !churners.contains($0) }) {
              failures += 1
            }
          }
          return failures
        }
      }
      return await group.reduce(0, +)
    }
    #expect(failures == 0)
    // What is left is exactly what the registrations say.
    for subscriber in churners {
      let held = registry.registrations(of: subscriber)
      let shouldSee = try held.keys.contains { try EventSpecifier(parsing: $0).matches(S.events[0]) }
      #expect(registry.subscribers(matching: S.events[0]).contains(subscriber) == shouldSee)
    }
    #expect(registry.registrations(of: permanent) == ["machines.*.*": 1, "machine_jobs.*.*": 1])
  }
}
