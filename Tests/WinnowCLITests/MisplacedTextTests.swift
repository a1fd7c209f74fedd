import Testing

/// The notes for a filter given where a specifier is expected and the reverse, and the hint
/// for keys with dots, as users meet them on the command line.
@Suite struct MisplacedTextTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let arguments: [String]
    /// Lines standard error must hold (after the diagnostic).
    let expected: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "a filter as match's specifier", arguments: ["match", #"Type=Eq("machines")"#, "-"],
      expected: [
        #"specifier:1:20: error: expected '.' and an action after the type; this is a filter, and a specifier is type.action.key[.filter]; did you mean '*.*.*.Type=Eq("machines")'?"#,
        #"winnow: note: this is a filter; to match the events it holds for, give it with --filter (or as the specifier *.*.*.Type=Eq("machines"))"#,
      ]),
    Case(
      name: "a specifier given to --filter", arguments: ["match", "--filter", "machines.*.*", "-"],
      expected: [
        "winnow: note: this is an event specifier, not a filter: give it without --filter (winnow match SPECIFIER)"
      ]),
    Case(
      name: "a specifier given to explain",
      arguments: ["explain", #"machines,jobs.save.*.Stage=Eq( "done")"#],
      expected: [
        #"winnow: note: this is an event specifier, not a filter: explain takes a filter; its filter part is Stage=Eq("done")"#
      ]),
    Case(
      name: "a filter given to check --specifier",
      arguments: ["check", "--specifier", #"Type=Eq("machines")"#],
      expected: [
        "winnow: note: this is a filter, not an event specifier: check it without --specifier"
      ]),
    Case(
      name: "a specifier given to check", arguments: ["check", "machines.save.*"],
      expected: [
        "winnow: note: this is an event specifier, not a filter: check it with --specifier"
      ]),
    Case(
      name: "an IP address key", arguments: ["match", "leases.*.10.0.1.23", "-"],
      expected: [
        #"specifier:1:19: error: expected '=' after the field '0.1.23'; a key with dots is written with '\1' for each '.'; did you mean 'leases.*.10\10\11\123'?"#
      ]),
    Case(
      name: "a dotted profile name", arguments: ["match", "profiles.save.my.profile", "-"],
      expected: [
        #"specifier:1:25: error: expected '=' after the field 'profile'; a key with dots is written with '\1' for each '.'; did you mean 'profiles.save.my\1profile'?"#
      ]),
  ]

  @Test(arguments: cases)
  func explainsTheMixUp(_ c: Case) throws {
    let run = try Winnow.run(c.arguments, stdin: "")
    #expect(run.status == 2, "\(run)")
    for line in c.expected { #expect(run.stderrLines.contains(line), "\(run.stderrLines)") }
  }

  /// --filter builds the specifier *.*.*.FILTER in code: it matches as that specifier does.
  @Test func filterOptionMatchesAsTheAnySpecifier() throws {
    let events =
      #"{"Type":"machines","Object":{"Stage":"done"}}"# + "\n" + #"{"Type":"jobs","Object":{}}"#
      + "\n"
    let viaFilter = try Winnow.run(
      ["match", "--count", "--filter", #"Object.Stage = Eq("done")"#, "-"], stdin: events)
    let viaSpecifier = try Winnow.run(
      ["match", "--count", #"*.*.*.Object.Stage=Eq("done")"#, "-"], stdin: events)
    #expect(viaFilter.stdout == "1\n" && viaSpecifier.stdout == "1\n")
  }
}
