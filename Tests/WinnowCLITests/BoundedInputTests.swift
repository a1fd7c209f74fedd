import Foundation
import Testing

/// Endless and over-long input (SPEC sections 6 and 8): every command ends with status 2 and a
/// positioned error, never a crash, and an over-long line does not stop a run.
@Suite struct BoundedInputTests {
  struct EndlessCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    /// Standard input's file, when not empty.
    var stdinPath: String?
    /// The first line of standard error.
    let firstError: String
    var testDescription: String { name }
  }

  static let endlessCases = [
    EndlessCase(
      name: "match on /dev/zero", arguments: ["match", "*.*.*", "/dev/zero"],
      firstError:
        "/dev/zero:1: error: the line is longer than the line limit of 67108864 bytes; skipped to its end (column 67108865)"
    ),
    EndlessCase(
      name: "match on /dev/zero from standard input",
      arguments: ["match", "--max-line-bytes", "1M", "*.*.*"],
      stdinPath: "/dev/zero",
      firstError:
        "<stdin>:1: error: the line is longer than the line limit of 1048576 bytes; skipped to its end (column 1048577)"
    ),
    EndlessCase(
      name: "eval on /dev/zero", arguments: ["eval", "a=Exists()", "/dev/zero"],
      firstError:
        "/dev/zero:1:67108865: error: the document is longer than the limit of 67108864 bytes"),
    EndlessCase(
      name: "check - from /dev/zero", arguments: ["check", "-"], stdinPath: "/dev/zero",
      firstError: "<stdin>:1:65537: error: the filter is longer than 65536 bytes"),
    EndlessCase(
      name: "a specifier file on /dev/zero",
      arguments: ["match", "--max-line-bytes", "64K", "-f", "/dev/zero", "*.*.*"],
      firstError:
        "/dev/zero:1:65537: error: the line is longer than the line limit of 65536 bytes; skipped to its end"
    ),
  ]

  @Test(arguments: endlessCases)
  func endlessInputEndsWithAnError(c: EndlessCase) throws {
    let run = try Winnow.run(c.arguments, stdinPath: c.stdinPath)
    #expect(run.status == 2, "\(run.stderr.prefix(500))")
    #expect(run.stderrLines.first == c.firstError)
    #expect(run.stderr.utf8.count < 2_000, "a long line is shown as a window")
    #expect(run.stdout.isEmpty)
  }

  /// An over-long line in the middle of a stream is reported with its line number, counted as
  /// skipped, and the lines after it are matched.
  @Test(arguments: [false, true])
  func overlongLinesAreSkippedAndTheRunGoesOn(fromFile: Bool) throws {
    let directory = try TemporaryDirectory()
    let event = #"{"Type":"machines","Key":"m"}"#
    let long = #"{"Type":"machines","Key":""# + String(repeating: "x", count: 5000) + #""}"#
    let text = [event, long, event, long + "\r", "", event].joined(separator: "\n")
    let path = directory.file("events.ndjson", text)
    let arguments =
      ["match", "--stats", "--max-line-bytes", "1K", "machines.*.*"] + (fromFile ? [path] : [])
    let run = try Winnow.run(arguments, stdin: fromFile ? nil : Data(text.utf8))
    let name = fromFile ? path : "<stdin>"
    #expect(run.status == 2)
    #expect(run.stdoutLines == [event, event, event])
    #expect(
      run.stderrLines.filter { $0.contains("error:") } == [
        "\(name):2: error: the line is longer than the line limit of 1024 bytes; skipped to its end (column 1025)",
        "\(name):4: error: the line is longer than the line limit of 1024 bytes; skipped to its end (column 1025)",
      ])
    #expect(run.stderr.contains("lines read        6\n"))
    #expect(run.stderr.contains("skipped as errors 2\n"))
  }

  /// `eval` reads a document up to the limit, and one byte more is an error.
  @Test func evalDocumentLimitAtTheEdge() throws {
    let document = #"{"a": 1}"#  // 8 bytes
    let atLimit = try Winnow.run(["eval", "--max-document-bytes", "8", "a=Eq(1)"], stdin: document)
    #expect(atLimit.status == 0 && atLimit.stdout == "true\n")
    let over = try Winnow.run(["eval", "--max-document-bytes", "7", "a=Eq(1)"], stdin: document)
    #expect(over.status == 2)
    #expect(
      over.stderrLines == ["<stdin>:1:8: error: the document is longer than the limit of 7 bytes"])
  }

  struct ByteCountCase: CustomTestStringConvertible, Sendable {
    let argument: String
    let valid: Bool
    var testDescription: String { argument }
  }

  @Test(arguments: [
    ByteCountCase(argument: "0", valid: true), ByteCountCase(argument: "1K", valid: true),
    ByteCountCase(argument: "64M", valid: true), ByteCountCase(argument: "2g", valid: true),
    ByteCountCase(argument: "-1", valid: false), ByteCountCase(argument: "1T", valid: false),
    ByteCountCase(argument: "K", valid: false),
    ByteCountCase(argument: "99999999999G", valid: false),
  ])
  func lineLimitArgument(c: ByteCountCase) throws {
    let run = try Winnow.run(
      ["match", "--count", "--max-line-bytes", c.argument, "*.*.*"], stdin: "{}\n")
    if c.valid {
      #expect(run.status == 0 || run.status == 2, "\(run)")
      #expect(!run.stderr.contains("--max-line-bytes"))
    } else {
      #expect(run.status == 2)
      #expect(run.stderr.contains("--max-line-bytes"))
    }
  }

  /// `check -` reads a line up to the filter size limit (and a CR): a filter of exactly 65,536
  /// bytes is valid, one byte more is the parser's size error, far more is the same error
  /// without reading the line whole; the lines after it are still checked.
  @Test func checkLinesAtTheFilterSizeLimit() throws {
    func filter(bytes: Int) -> String {
      #"a=Eq(""# + String(repeating: "x", count: bytes - 8) + #"")"#
    }
    let atLimit = try Winnow.run(["check", "-"], stdin: filter(bytes: 65_536) + "\r\n")
    #expect(atLimit.status == 0 && atLimit.stderr.isEmpty, "\(atLimit.stderr.prefix(300))")
    for size in [65_537, 65_538, 1_000_000] {
      let over = try Winnow.run(["check", "-"], stdin: filter(bytes: size) + "\nb=Eq(1 2)\n")
      #expect(over.status == 2)
      #expect(
        over.stderrLines.first == "<stdin>:1:65537: error: the filter is longer than 65536 bytes",
        "\(size)")
      #expect(
        over.stderr.contains("<stdin>:2:8: error: expected ')' after the arguments of Eq"),
        "\(size)")
    }
  }
}
