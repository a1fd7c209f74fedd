import Foundation
import Testing

@Suite struct ExplainCommandTests {
  static let filter =
    #"And(Type=Eq("machines"), Or(Object.Stage=Eq("discover"), Stage=Changed(,"complete")), Not(Object.Locked=Eq(true)), Object.Missing=Exists())"#

  @Test func treeWithoutDocument() throws {
    let run = try Winnow.run(["explain", ExplainCommandTests.filter])
    #expect(run.status == 0 && run.stderr.isEmpty)
    expectSnapshot(run.stdout, named: "explain-tree")
  }

  @Test func whyAnEventDidNotMatch() throws {
    let run = try Winnow.run(["explain", ExplainCommandTests.filter, "--event", Winnow.sampleEvent])
    #expect(run.status == 1, "the filter does not hold: exit 1 \(run)")
    expectSnapshot(run.stdout, named: "explain-event")
  }

  @Test func plainJSONRules() throws {
    let run = try Winnow.run(
      ["explain", "--json", "-", #"Or(a.0=Eq(1),b=Changed(,2),c=Changed())"#],
      stdin: #"{"a":[1],"b":2}"#)
    #expect(run.status == 0, "\(run)")
    expectSnapshot(run.stdout, named: "explain-json")
  }

  @Test func changedOnACreateEvent() throws {
    let run = try Winnow.run(
      ["explain", "--event", "-", #"Stage=Changed()"#],
      stdin: #"{"Type":"machines","Object":{"Stage":"new"},"Original":null}"#)
    #expect(run.status == 0)
    #expect(run.stdoutLines.last == #"✓ Stage=Changed()  Original absent → Object "new""#)
  }

  /// explain runs the compiled plan, so it agrees with eval: on the event `{}` the whole event
  /// is `{}` (it once disagreed and exited with an internal error).
  @Test func wholeEventAgreesWithEval() throws {
    let eval = try Winnow.run(["eval", "--event", "#=Eq({})", "-"], stdin: "{}")
    #expect(eval.status == 0 && eval.stdout == "true\n", "\(eval)")
    let run = try Winnow.run(["explain", "--event", "-", "#=Eq({})"], stdin: "{}")
    #expect(run.status == 0 && run.stderr.isEmpty, "\(run)")
    #expect(run.stdoutLines.contains("result: true"))
    #expect(run.stdoutLines.last == "✓ #=Eq({})  found {}")
  }

  @Test func longValuesAreShortened() throws {
    let long = String(repeating: "x", count: 300)
    let document = #"{"a":""# + long + #""}"#
    let short = try Winnow.run(["explain", "--json", "-", "a=Exists()"], stdin: document)
    #expect(short.stdoutLines.last!.hasSuffix("…"))
    #expect(short.stdoutLines.last!.count < 150)
    let full = try Winnow.run(
      ["explain", "--full-values", "--json", "-", "a=Exists()"], stdin: document)
    #expect(full.stdoutLines.last!.hasSuffix(long + "\""))
  }

  @Test func errors() throws {
    let both = try Winnow.run([
      "explain", "a=Exists()", "--event", Winnow.sampleEvent, "--json", Winnow.sampleEvent,
    ])
    #expect(both.status == 2 && both.stdout.isEmpty)
    let filter = try Winnow.run(["explain", "a=Foo(1)"])
    #expect(filter.status == 2)
    expectSnapshot(filter.stderr, named: "explain-invalid-filter")
    let document = try Winnow.run(["explain", "a=Exists()", "--event", "-"], stdin: "[1]")
    #expect(
      document.status == 2
        && document.stderr == "<stdin>:1:1: error: an event must be a JSON object\n")
  }
}
