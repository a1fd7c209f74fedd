import NATSClient
import Testing
import Winnow

@testable import WinnowNATS

@Suite struct BusSubjectsTests {
  let subjects = BusSubjects(prefix: "drp.events")!

  struct InterestCase: Sendable, CustomTestStringConvertible {
    let specifier: String
    let subjects: [String]
    var testDescription: String { specifier }
  }

  static let interestCases: [InterestCase] = [
    InterestCase(specifier: "*.*.*", subjects: ["drp.events.*.*"]),
    InterestCase(specifier: "machines.save.*", subjects: ["drp.events.machines.save"]),
    InterestCase(specifier: "machines.*.abc", subjects: ["drp.events.machines.*"]),
    InterestCase(
      specifier: "machines,profiles.save,update.*",
      subjects: [
        "drp.events.machines.save", "drp.events.machines.update", "drp.events.profiles.save",
        "drp.events.profiles.update",
      ]),
    InterestCase(specifier: #"a\1b.c\3.*"#, subjects: ["drp.events.a%2Eb.c%2A"]),
    InterestCase(specifier: "machine_jobs.*.uuid", subjects: ["drp.events.jobs.*"]),
    InterestCase(
      specifier: "machines,machine_jobs,work_order_jobs.create.*",
      subjects: ["drp.events.jobs.create", "drp.events.machines.create"]),
    InterestCase(specifier: "a,a.b.*", subjects: ["drp.events.a.b"]),
    InterestCase(specifier: #"*.save.*.Name=Eq("x")"#, subjects: ["drp.events.*.save"]),
  ]

  @Test(arguments: interestCases)
  func interestOfASpecifier(_ c: InterestCase) throws {
    let specifier = try EventSpecifier(parsing: c.specifier)
    #expect(subjects.interest(of: specifier) == c.subjects)
  }

  struct EventCase: Sendable, CustomTestStringConvertible {
    let type: String
    let action: String
    let subject: String
    var testDescription: String { subject }
  }

  static let eventCases: [EventCase] = [
    EventCase(type: "machines", action: "save", subject: "drp.events.machines.save"),
    EventCase(type: "a.b", action: "*", subject: "drp.events.a%2Eb.%2A"),
    EventCase(type: "", action: "x y", subject: "drp.events.%.x%20y"),
    EventCase(type: ">", action: "é", subject: "drp.events.%3E.%C3%A9"),
  ]

  /// Every event's subject is a literal subject covered by the interest of any specifier whose
  /// type and action parts select the event.
  @Test(arguments: eventCases)
  func eventSubjectsAreLiteralAndCovered(_ c: EventCase) throws {
    let subject = subjects.subject(type: c.type, action: c.action)
    #expect(subject == c.subject)
    #expect(subject.split(separator: ".").count == 4)
    #expect(subjectMatches(pattern: "drp.events.*.*", subject: subject))
    #expect(!subjectMatches(pattern: "drp.events.x.*", subject: subject))
  }

  @Test func prefixMustBeLiteral() {
    #expect(BusSubjects(prefix: "drp.events") != nil)
    #expect(BusSubjects(prefix: "hubs") != nil)
    #expect(BusSubjects(prefix: "") == nil)
    #expect(BusSubjects(prefix: "a..b") == nil)
    #expect(BusSubjects(prefix: "a.*") == nil)
    #expect(BusSubjects(prefix: "a.>") == nil)
    #expect(BusSubjects(prefix: "a b") == nil)
    #expect(BusSubjects(prefix: "a.") == nil)
  }

  struct MatchCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let subject: String
    let matches: Bool
    var testDescription: String { "\(pattern) ~ \(subject)" }
  }

  static let matchCases: [MatchCase] = [
    MatchCase(pattern: "a.b", subject: "a.b", matches: true),
    MatchCase(pattern: "a.*", subject: "a.b", matches: true),
    MatchCase(pattern: "a.*", subject: "a.b.c", matches: false),
    MatchCase(pattern: "a.>", subject: "a.b.c", matches: true),
    MatchCase(pattern: "a.>", subject: "a", matches: false),
    MatchCase(pattern: "*.*", subject: "a", matches: false),
    MatchCase(pattern: "a.b", subject: "a.c", matches: false),
    MatchCase(pattern: "a.b.c", subject: "a.b", matches: false),
  ]

  @Test(arguments: matchCases)
  func natsSubjectMatching(_ c: MatchCase) {
    #expect(subjectMatches(pattern: c.pattern, subject: c.subject) == c.matches)
  }
}

@Suite struct BusInterestTests {
  @Test func subscribesOnFirstReferenceAndUnsubscribesOnLast() {
    var interest = BusInterest()
    #expect(interest.add(["p.a.b", "p.*.*"]) == ["p.a.b", "p.*.*"])
    #expect(interest.add(["p.a.b"]) == [])
    #expect(interest.covers("p.x.y"))
    #expect(interest.remove(["p.*.*"]) == ["p.*.*"])
    #expect(!interest.covers("p.x.y"))
    #expect(interest.covers("p.a.b"))
    #expect(interest.remove(["p.a.b"]) == [])
    #expect(interest.remove(["p.a.b"]) == ["p.a.b"])
    #expect(interest.remove(["p.a.b"]) == [])  // never below zero
    #expect(interest.counts.isEmpty)
  }
}

@Suite struct BusReceiveTrackerTests {
  struct Step: Sendable {
    let subject: String
    let origin: String
    let sequence: UInt64
    let verdict: BusReceiveTracker.Verdict
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let steps: [Step]
    let lost: UInt64
    let duplicates: UInt64
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "in order",
      steps: [
        Step(subject: "s", origin: "A", sequence: 1, verdict: .deliver(lost: 0)),
        Step(subject: "s", origin: "A", sequence: 2, verdict: .deliver(lost: 0)),
      ], lost: 0, duplicates: 0),
    Case(
      name: "copies from two subscriptions",
      steps: [
        Step(subject: "s", origin: "A", sequence: 1, verdict: .deliver(lost: 0)),
        Step(subject: "s", origin: "A", sequence: 1, verdict: .duplicate),
        Step(subject: "s", origin: "A", sequence: 2, verdict: .deliver(lost: 0)),
        Step(subject: "s", origin: "A", sequence: 2, verdict: .duplicate),
      ], lost: 0, duplicates: 2),
    Case(
      name: "a gap is counted once",
      steps: [
        Step(subject: "s", origin: "A", sequence: 3, verdict: .deliver(lost: 0)),
        Step(subject: "s", origin: "A", sequence: 7, verdict: .deliver(lost: 3)),
        Step(subject: "s", origin: "A", sequence: 7, verdict: .duplicate),
        Step(subject: "s", origin: "A", sequence: 8, verdict: .deliver(lost: 0)),
      ], lost: 3, duplicates: 1),
    Case(
      name: "origins and subjects are counted apart",
      steps: [
        Step(subject: "s", origin: "A", sequence: 5, verdict: .deliver(lost: 0)),
        Step(subject: "s", origin: "B", sequence: 1, verdict: .deliver(lost: 0)),
        Step(subject: "t", origin: "A", sequence: 1, verdict: .deliver(lost: 0)),
        Step(subject: "s", origin: "B", sequence: 3, verdict: .deliver(lost: 1)),
        Step(subject: "t", origin: "A", sequence: 2, verdict: .deliver(lost: 0)),
      ], lost: 1, duplicates: 0),
  ]

  @Test(arguments: cases)
  func deliversOnceAndCountsGaps(_ c: Case) {
    var tracker = BusReceiveTracker()
    for (i, step) in c.steps.enumerated() {
      let verdict = tracker.receive(
        subject: step.subject, from: BusOrigin(id: step.origin, sequence: step.sequence))
      #expect(verdict == step.verdict, "step \(i)")
    }
    #expect(tracker.lost == c.lost)
    #expect(tracker.duplicates == c.duplicates)
  }

  @Test func forgettingASubjectRestartsItsCount() {
    var tracker = BusReceiveTracker()
    _ = tracker.receive(subject: "s", from: BusOrigin(id: "A", sequence: 1))
    _ = tracker.receive(subject: "t", from: BusOrigin(id: "A", sequence: 1))
    tracker.forget { $0 == "s" }
    #expect(tracker.trackedCount == 1)
    #expect(
      tracker.receive(subject: "s", from: BusOrigin(id: "A", sequence: 9)) == .deliver(lost: 0))
    #expect(tracker.lost == 0)
  }

  @Test func originHeadersRoundTrip() {
    let origin = BusOrigin(id: "hub-7f3a", sequence: 42)
    #expect(BusOrigin(origin.headers) == origin)
    #expect(BusOrigin(nil) == nil)
    #expect(BusOrigin(NATSHeaders([.init(name: "Winnow-Origin", value: "x")])) == nil)
    #expect(
      BusOrigin(
        NATSHeaders([
          .init(name: "Winnow-Origin", value: "x"), .init(name: "Winnow-Seq", value: "-1"),
        ])) == nil)
  }

  @Test func publishSequenceAdvancesOnlyOnCommit() {
    var sequence = BusPublishSequence()
    #expect(sequence.peek("s") == 1)
    #expect(sequence.peek("s") == 1)
    sequence.commit("s")
    #expect(sequence.peek("s") == 2)
    #expect(sequence.peek("t") == 1)
  }
}
