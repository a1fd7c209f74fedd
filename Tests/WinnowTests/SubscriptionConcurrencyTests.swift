import Testing

@testable import Winnow

@Suite struct SubscriptionConcurrencyTests {
  typealias S = SampleEvents

  /// Dispatch from many tasks while another registers and deregisters. Two groups of churning
  /// subscribers draw from specifiers that match only a machine event (group A) or only a job
  /// event (group B), so while the churn runs:
  /// - a group A subscriber is never delivered the job or the profile event, a group B one never
  ///   the machine or the profile event (ids are freed and reused all the time, so a stale
  ///   record or a reused id delivering to the wrong subscriber fails here);
  /// - a subscriber with a permanent registration is always delivered its events;
  /// - nobody is delivered twice.
  @Test func dispatchStaysConsistentWhileRegistrationsChange() async throws {
    let registry = SubscriptionRegistry<Int>()
    let permanent = 0
    try registry.register("machines.*.*", for: permanent)
    try registry.register("machine_jobs.*.*", for: permanent)
    let machineOnly = [
      "machines.*.*", "machines.save.\(S.m1)", #"machines.*.*.Object.Stage=Eq("complete")"#,
      #"*.*.*.Object.Uuid=Eq("\#(S.m1)")"#, #"*.save.*.Object.Stage=Eq("complete")"#,
    ]
    let jobOnly = [
      "machine_jobs.*.\(S.m1)", "jobs.create.*", "jobs,machine_jobs.*.\(S.j1),\(S.m1)",
      #"*.*.*.Object.Machine=Eq("\#(S.m1)")"#, #"*.create.*.Object.State=In("running","failed")"#,
    ]
    let groupA = 1...10
    let groupB = 11...20
    let machine = S.events[0]
    let job = S.events[2]
    let profile = S.events[6]
    // The pools are what the groups' names say.
    for text in machineOnly {
      let specifier = try EventSpecifier(parsing: text)
      #expect(
        specifier.matches(machine) && !specifier.matches(job) && !specifier.matches(profile),
        "\(text)")
    }
    for text in jobOnly {
      let specifier = try EventSpecifier(parsing: text)
      #expect(
        specifier.matches(job) && !specifier.matches(machine) && !specifier.matches(profile),
        "\(text)")
    }

    let (failures, deliveredToChurners) = await withTaskGroup(of: (Int, Int).self) { group in
      group.addTask {
        var rng = SeededGenerator(seed: 42)
        for step in 0..<4_000 {
          let inA = Bool.random(using: &rng)
          let subscriber = (inA ? groupA : groupB).randomElement(using: &rng)!
          if step % 97 == 0 {
            registry.deregisterAll(for: subscriber)  // its id is freed for another to reuse
            continue
          }
          let text = (inA ? machineOnly : jobOnly).randomElement(using: &rng)!
          if (try? registry.deregister(text, for: subscriber)) == nil {
            try? registry.register(text, for: subscriber)
          }
        }
        return (0, 0)
      }
      for task in 0..<4 {
        group.addTask {
          var failures = 0
          var toChurners = 0
          var delivered: [Int] = []
          for round in 0..<2_000 {
            let event = [machine, job, profile][(round + task) % 3]
            delivered.removeAll(keepingCapacity: true)
            registry.appendSubscribers(matching: event, to: &delivered)
            if Set(delivered).count != delivered.count { failures += 1 }
            if delivered.contains(permanent) == (event.type == "profiles") { failures += 1 }
            let forbidden: (Int) -> Bool =
              switch event.type {
              case "machines": { groupB.contains($0) }
              case "jobs": { groupA.contains($0) }
              default: { $0 != permanent }
              }
            if delivered.contains(where: forbidden) { failures += 1 }
            toChurners += delivered.count { $0 != permanent }
          }
          return (failures, toChurners)
        }
      }
      return await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
    }
    #expect(failures == 0)
    #expect(deliveredToChurners > 1_000, "the churning subscribers should be delivered often")
    // What is left is exactly what the registrations say.
    for subscriber in Array(groupA) + Array(groupB) {
      let held = try registry.registrations(of: subscriber).keys.map {
        try EventSpecifier(parsing: $0)
      }
      for event in [machine, job, profile] {
        let shouldSee = held.contains { $0.matches(event) }
        #expect(registry.subscribers(matching: event).contains(subscriber) == shouldSee)
      }
    }
    #expect(registry.registrations(of: permanent) == ["machines.*.*": 1, "machine_jobs.*.*": 1])
  }
}
