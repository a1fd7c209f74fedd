import Foundation
import Testing

@Suite struct EvalCommandTests {
  @Test func trueAndFalse() throws {
    let yes = try Winnow.run(["eval", #"Object.Stage=Eq("complete")"#, Winnow.sampleEvent])
    #expect(yes.status == 0 && yes.stdout == "true\n", "\(yes)")
    let no = try Winnow.run(["eval", #"Object.Stage=Eq("discover")"#, Winnow.sampleEvent])
    #expect(no.status == 1 && no.stdout == "false\n", "\(no)")
  }

  @Test func changedFollowsTheEventRulesOnlyWithEvent() throws {
    let filter = #"Stage=Changed("finish-install","complete")"#
    let event = try Winnow.run(["eval", "--event", filter, Winnow.sampleEvent])
    #expect(event.status == 0 && event.stdout == "true\n", "\(event)")
    // Plain rules: the field is looked up from the root, where there is no Stage.
    let plain = try Winnow.run(["eval", filter, Winnow.sampleEvent])
    #expect(plain.status == 1 && plain.stdout == "false\n", "\(plain)")
  }

  @Test func documentFromStandardInput() throws {
    let run = try Winnow.run(["eval", "/a/1=Eq(2)"], stdin: "{\"a\":\n [1, 2]}\n")
    #expect(run.status == 0 && run.stdout == "true\n")
    let dash = try Winnow.run(["eval", "#=Eq([1])", "-"], stdin: "[1.0]")
    #expect(dash.status == 0 && dash.stdout == "true\n")
  }

  @Test func errors() throws {
    let filter = try Winnow.run(["eval", "a=Eq(1", Winnow.sampleEvent])
    #expect(filter.status == 2 && filter.stdout.isEmpty)
    #expect(filter.stderrLines.first == "filter:1:7: error: expected ')' after the arguments of Eq")

    let missing = try Winnow.run(["eval", "a=Exists()", "/nonexistent/doc.json"])
    #expect(missing.status == 2 && missing.stdout.isEmpty)
    #expect(missing.stderr == "winnow: /nonexistent/doc.json: No such file or directory\n")

    let json = try Winnow.run(["eval", "a=Exists()"], stdin: "{\"a\": 1,\n  \"b\": tru}")
    #expect(json.status == 2 && json.stdout.isEmpty)
    #expect(json.stderr.hasPrefix("<stdin>:2:8: error: "), "\(json)")

    let notAnEvent = try Winnow.run(["eval", "--event", "a=Exists()"], stdin: "[1]")
    #expect(notAnEvent.status == 2)
    #expect(notAnEvent.stderr == "<stdin>:1:1: error: an event must be a JSON object\n")
    #expect(
      try Winnow.run(["eval", "a=Exists()"], stdin: "[1]").status == 1,
      "plain JSON may be any value")

    let badMember = try Winnow.run(["eval", "--event", "a=Exists()"], stdin: #"{"Type":5}"#)
    #expect(badMember.status == 2)

    let empty = try Winnow.run(["eval", "a=Exists()"], stdin: "")
    #expect(empty.status == 2 && empty.stderr.hasPrefix("<stdin>:1:1: error: "))
  }

  @Test func doubleDash() throws {
    let run = try Winnow.run(["eval", "--", "-a=Eq(1)"], stdin: #"{"-a":1}"#)
    #expect(run.status == 0 && run.stdout == "true\n", "\(run)")
  }
}
