import Testing

@testable import Winnow

/// `EventParser` and `ParsedEvent`: the allocation-free path a server takes from bytes to
/// subscribers, which must agree with `Event` on everything.
@Suite struct EventParserTests {
  typealias S = SampleEvents

  @Test func readsEveryStringMember() throws {
    let parser = EventParser()
    let bytes = Array(S.texts[0].utf8)
    try bytes.withUnsafeBufferPointer { bytes throws(Diagnostic) in
      let event = try parser.parse(bytes)
      #expect(event.type == "machines")
      #expect(event.action == "save")
      #expect(event.key == S.m1)
      #expect(event.time == "2017-12-21T23:26:43Z")
      #expect(event.principal == "user:rocketskates")
      #expect(Array(event.utf8(.type)) == Array("machines".utf8))
      #expect(Array(event.source) == bytes.map { $0 })
      let copy = event.makeEvent()
      #expect(copy.time == "2017-12-21T23:26:43Z" && copy.principal == "user:rocketskates")
    }
  }

  @Test func missingAndNullMembersReadAsEmpty() throws {
    let parser = EventParser()
    let bytes = Array(#"{"Time":null,"Type":"x"}"#.utf8)
    try bytes.withUnsafeBufferPointer { bytes throws(Diagnostic) in
      let event = try parser.parse(bytes)
      for member in [EventStringMember.time, .action, .key, .principal] {
        #expect(event.utf8(member).isEmpty, "\(member)")
      }
      #expect(event.principal == "" && event.time == "")
    }
  }

  /// One parser, reused over every sample event and invalid input in turn: each result agrees
  /// with `Event`, with specifiers and with a registry, whatever was parsed before.
  @Test func reuseAgreesWithEvent() throws {
    let parser = EventParser()
    let registry = SubscriptionRegistry<Int>()
    let specifiers = [
      "machines.*.*", "jobs.create.*", "machine_jobs.*.\(S.m1)",
      "*.*.*.Object.Stage=Eq(\"complete\")",
    ]
    for (i, text) in specifiers.enumerated() { try registry.register(text, for: i) }
    let inputs = S.texts + [#"{"Type":5}"#, "[1]", "{", #"{"Type":"x"}"#]
    for _ in 0..<3 {
      for text in inputs {
        let expected = Result { () throws(Diagnostic) in try Event(parsing: text) }
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBufferPointer { bytes in
          Result { () throws(Diagnostic) -> (String, String, String, [Int], [Bool]) in
            let event = try parser.parse(bytes)
            var delivered: [Int] = []
            registry.appendSubscribers(matching: event, to: &delivered)
            let matched = try specifiers.map { text throws(Diagnostic) in
              try EventSpecifier(parsing: text).matches(event)
            }
            return (event.type, event.action, event.key, delivered.sorted(), matched)
          }
        }
        switch (expected, parsed) {
        case (.success(let event), .success(let (type, action, key, delivered, matched))):
          #expect(type == event.type && action == event.action && key == event.key, "\(text)")
          #expect(delivered == registry.subscribers(matching: event).sorted(), "\(text)")
          let expectedMatches = try specifiers.map {
            try EventSpecifier(parsing: $0).matches(event)
          }
          #expect(matched == expectedMatches, "\(text)")
        case (.failure(let a), .failure(let b)):
          #expect(a == b, "\(text)")
        default:
          Issue.record("Event and EventParser disagree on \(text)")
        }
      }
    }
  }

  @Test func parsesRawBuffers() throws {
    let parser = EventParser()
    let bytes = Array(S.texts[2].utf8)
    let type = try bytes.withUnsafeBytes { raw throws(Diagnostic) in try parser.parse(raw).type }
    #expect(type == "jobs")
  }

  @Test func compiledFilterMatchesParsedEvents() throws {
    let parser = EventParser()
    let filter = try Filter(parsing: #"Stage=Changed(,"complete")"#).compiled()
    let results = try S.texts.map { text throws(Diagnostic) in
      try Array(text.utf8).withUnsafeBufferPointer { bytes throws(Diagnostic) in
        filter.matches(try parser.parse(bytes))
      }
    }
    #expect(results == S.events.map(filter.matches))
    #expect(results.contains(true))
  }
}
