import Foundation
import Testing

@Suite struct MatchCommandTests {
  /// Events with a bad line in the middle, a CRLF line, blank lines and invalid UTF-8 in a string.
  static let stream: Data = {
    var data = Data()
    data.append(
      Data(
        (#"{"Type":"machines","Action":"save","Key":"m1","Object":{"Stage":"complete"}}"# + "\r\n")
          .utf8))
    data.append(Data("not json\n".utf8))
    data.append(Data("\n   \n".utf8))
    data.append(Data(#"{"Type":"machines","Action":"save","Key":"m2","Object":{"Name":""#.utf8))
    data.append(contentsOf: [0xFF, 0xFE])
    data.append(Data((#""}}"# + "\n").utf8))
    data.append(Data("[1,2]\n".utf8))
    data.append(
      Data((#"{"Type":"jobs","Action":"create","Key":"j1","Object":{"Machine":"m1"}}"# + "\n").utf8)
    )
    data.append(Data(#"{"Type":"profiles","Action":"save","Key":"p"}"#.utf8))  // no final LF
    return data
  }()

  static func lines(_ data: Data) -> [Data] {
    data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) }
  }

  @Test func writesMatchesByteForByteAndReportsBadLines() throws {
    let run = try Winnow.run(["match", "machines.*.*"], stdin: MatchCommandTests.stream)
    #expect(run.status == 2, "a bad line makes the status 2 after the run \(run)")
    let input = MatchCommandTests.lines(MatchCommandTests.stream)
    // The CR of the first line is kept; invalid UTF-8 is written as it was read.
    #expect(run.stdoutData == input[0] + Data("\n".utf8) + input[4] + Data("\n".utf8))
    #expect(
      run.stderrLines == [
        "<stdin>:2: error: expected a JSON value (column 1)",
        "<stdin>:6: error: an event must be a JSON object (column 1)",
      ])
  }

  @Test func statisticsAddUp() throws {
    let run = try Winnow.run(
      ["match", "--stats", "--count", "*.save.*"], stdin: MatchCommandTests.stream)
    #expect(run.status == 2)
    #expect(run.stdout == "3\n")
    var numbers: [String: Int] = [:]
    for line in run.stderrLines where !line.contains("error:") {
      let words = line.split(separator: " ")
      numbers[words.dropLast().joined(separator: " ")] = Int(words.last!)
    }
    #expect(
      numbers == [
        "lines read": 8, "matched": 3, "not matched": 1, "blank": 2, "skipped as errors": 2,
        "regex limit hits": 0,
      ])
    #expect(
      numbers["matched"]! + numbers["not matched"]! + numbers["blank"]! + numbers[
        "skipped as errors"]! == numbers["lines read"]!)
  }

  @Test func emptyInputMatchesNothing() throws {
    let run = try Winnow.run(["match", "*.*.*"], stdin: "")
    #expect(run.status == 1 && run.stdout.isEmpty && run.stderr.isEmpty)
    let count = try Winnow.run(["match", "--count", "*.*.*"], stdin: "")
    #expect(count.status == 1 && count.stdout == "0\n")
  }

  @Test func sampleEvents() throws {
    let complete = try Winnow.run([
      "match", #"machines.save.*.Stage=Changed(,"complete")"#, Winnow.events,
    ])
    #expect(complete.status == 0, "\(complete)")
    #expect(complete.stdoutLines.count == 2)
    #expect(complete.stdoutLines.allSatisfy { $0.contains(#""Stage":"complete""#) })

    let jobs = try Winnow.run([
      "match", "--count", "machine_jobs.*.3f7c2a9e-5d41-4b8a-9c0e-7d2b5e8f1a60", Winnow.events,
    ])
    #expect(jobs.status == 0 && jobs.stdout == "5\n", "\(jobs)")

    let none = try Winnow.run(["match", "nothing.*.*", Winnow.events])
    #expect(none.status == 1 && none.stdout.isEmpty && none.stderr.isEmpty)

    let filter = try Winnow.run([
      "match", "--count", "--filter", #"Object.Stage=Eq("complete")"#, Winnow.events,
    ])
    let same = try Winnow.run([
      "match", "--count", #"*.*.*.Object.Stage=Eq("complete")"#, Winnow.events,
    ])
    #expect(filter.status == 0 && filter.stdout == same.stdout)
  }

  @Test func missingFileIsReportedAndTheOthersAreRead() throws {
    let run = try Winnow.run(
      ["match", "--count", "profiles.*.*", "/nonexistent/a.ndjson", Winnow.events, "-"],
      stdin: MatchCommandTests.stream)
    #expect(run.status == 2)
    #expect(run.stdout == "6\n", "five in the sample events, one on standard input")
    #expect(run.stderrLines.first == "winnow: /nonexistent/a.ndjson: No such file or directory")
    // Line numbers count from 1 in each file.
    #expect(run.stderrLines.contains("<stdin>:2: error: expected a JSON value (column 1)"))
  }

  @Test func directoryCannotBeRead() throws {
    let directory = try TemporaryDirectory()
    let run = try Winnow.run(["match", "*.*.*", directory.url.path])
    #expect(run.status == 2)
    #expect(run.stderr.contains("Is a directory"), "\(run)")
  }

  @Test func specifierFileWithoutDuplicates() throws {
    let directory = try TemporaryDirectory()
    let specifiers = directory.file(
      "specs.txt",
      """
      # machines of one kind, twice, and their jobs
      machines.save.*\r

        machines.*.*
      machines.*.*
      machine_jobs.*.m1
      """)
    let run = try Winnow.run(["match", "-f", specifiers], stdin: MatchCommandTests.stream)
    #expect(run.status == 2)
    #expect(run.stdoutLines.count == 3, "each event once: m1, m2, j1 \(run)")
    #expect(
      run.stdoutLines.last
        == #"{"Type":"jobs","Action":"create","Key":"j1","Object":{"Machine":"m1"}}"#)

    let two = directory.file("more.txt", "profiles.*.*\n")
    let both = try Winnow.run(["match", "--count", "-f", specifiers, "-f", two, Winnow.events])
    let separately = try ["machines.*.*", "machine_jobs.*.m1", "profiles.*.*"].map {
      Int(try Winnow.run(["match", "--count", $0, Winnow.events]).stdout.dropLast())!
    }
    #expect(both.stdout == "\(separately.reduce(0, +))\n", "the sets are disjoint, so counts add")
  }

  @Test func invalidSpecifiers() throws {
    let directory = try TemporaryDirectory()
    let specifiers = directory.file(
      "bad.txt", "machines.*.*\nmachines..*\njobs.*.*.Key=eq(\"c\")\n")
    let run = try Winnow.run(["match", "-f", specifiers, Winnow.events])
    #expect(run.status == 2 && run.stdout.isEmpty)
    #expect(
      run.stderrLines.filter { $0.contains("error:") } == [
        "\(specifiers):2:10: error: expected an action or '*'",
        "\(specifiers):3:14: error: unknown test 'eq' (the tests are Exists, Eq, Ne, Re, In, Nin, Changed); did you mean 'Eq'?",
      ])

    let one = try Winnow.run(["match", "machines.save", Winnow.events])
    #expect(one.status == 2 && one.stdout.isEmpty)
    #expect(one.stderrLines.first?.hasPrefix("specifier:1:14: error: ") == true, "\(one)")

    let filter = try Winnow.run(["match", "--filter", "a=Eq(", Winnow.events])
    #expect(
      filter.status == 2 && filter.stderrLines.first?.hasPrefix("filter:1:6: error: ") == true,
      "\(filter)")

    let missing = try Winnow.run(["match", "-f", "/nonexistent/specs", Winnow.events])
    #expect(
      missing.status == 2
        && missing.stderr == "winnow: /nonexistent/specs: No such file or directory\n")
  }

  @Test func doubleDashBeforeASpecifierStartingWithADash() throws {
    let run = try Winnow.run(
      ["match", "--", "-x.*.*"], stdin: #"{"Type":"-x"}"# + "\n" + #"{"Type":"y"}"#)
    #expect(run.status == 0 && run.stdout == #"{"Type":"-x"}"# + "\n", "\(run)")
  }

  @Test func usageErrors() throws {
    for arguments in [
      ["match"], ["match", "--bogus", "*.*.*"], ["match", "--count"], ["match", "-f"],
    ] {
      let run = try Winnow.run(arguments)
      #expect(run.status == 2, "\(arguments): \(run)")
      #expect(run.stdout.isEmpty)
      #expect(!run.stderr.isEmpty)
    }
  }
}
