import Foundation
import Testing

/// `winnow watch` against the scripted old DRP (`Scripts/old-drp-server.py`), which does not
/// advertise `websocket-changed-filter`: the client registers `type.action.key` parts and
/// filters itself, and must print exactly what `winnow match` selects from the same events.
@Suite("winnow watch against a server without websocket-changed-filter")
struct WatchCommandTests {
  /// The sample events, then a sentinel every specifier below matches: with `--count` set to
  /// the number of expected events, an unexpected event would show up before the sentinel.
  static func eventsFile(in directory: TemporaryDirectory) throws -> String {
    var events = try String(
      contentsOf: Winnow.packageRoot.appendingPathComponent(Winnow.events), encoding: .utf8)
    if !events.hasSuffix("\n") { events += "\n" }
    events +=
      #"{"Time":"2026-01-01T00:00:00Z","Type":"machines","Action":"save","Key":"sentinel","Object":{"Stage":"complete","Name":"sentinel"},"Original":{"Stage":"discover"}}"#
      + "\n"
    return directory.file("events.ndjson", events)
  }

  /// Specifiers with filters over three `type.action.key` parts (two share one).
  static let specifiers = [
    #"machines.save.*.Stage=Changed()"#,
    #"machines.save.*.Object.Name=Re("^node-1")"#,
    #"jobs.*.*.Object.State=In("failed","incomplete")"#,
    #"work_orders,profiles.*.*.Object.Name=Exists()"#,
  ]

  /// What `winnow match -f` writes for `specifiers` over `events`.
  static func expected(_ events: String, in directory: TemporaryDirectory) throws -> [String] {
    let specifierFile = directory.file("specifiers.txt", specifiers.joined(separator: "\n") + "\n")
    let run = try Winnow.run(["match", "-f", specifierFile, events])
    #expect(run.status == 0, "\(run)")
    return run.stdoutLines
  }

  @Test func filtersOnTheClientAndPrintsEachEventOnce() throws {
    let directory = try TemporaryDirectory()
    let events = try Self.eventsFile(in: directory)
    let expected = try Self.expected(events, in: directory)
    #expect(expected.count > 3 && expected.last!.contains("sentinel"))

    let server = try OldDRPServer([
      "--events", events, "--token", "s3cret", "--registrations-before-events", "3",
    ])
    let run = try Winnow.run(
      ["watch", "--token", "s3cret", "--count", "\(expected.count)", server.url] + Self.specifiers,
      timeout: 30)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdoutLines == expected, "\(run)")
    // Only type.action.key parts were registered, each once.
    #expect(
      try server.commands() == [
        ["register machines.save.*", "register jobs.*.*", "register work_orders,profiles.*.*"]
      ])
  }

  @Test func reconnectsAndRegistersAgainAfterADroppedConnection() throws {
    let directory = try TemporaryDirectory()
    let events = try Self.eventsFile(in: directory)
    let expected = try Self.expected(events, in: directory)

    // The first connection is cut after 4 events the server sent (some filtered out here).
    let server = try OldDRPServer([
      "--events", events, "--drop-after", "4", "--registrations-before-events", "3",
    ])
    let run = try Winnow.run(
      ["watch", "--count", "\(expected.count)", server.url] + Self.specifiers, timeout: 30)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdoutLines == expected, "\(run)")
    let commands = try server.commands()
    #expect(commands.count == 2)
    #expect(commands.first == commands.last)
    #expect(run.stderr.contains("reconnecting in"), "\(run)")
  }

  @Test func anErrorAcknowledgementEndsWithStatus2() throws {
    let server = try OldDRPServer(["--error-on", "jobs.*.*", "--registrations-before-events", "2"])
    let run = try Winnow.run(
      ["watch", server.url, "machines.*.*", #"jobs.*.*.Object.State=Eq("failed")"#], timeout: 30)
    #expect(run.status == 2, "\(run)")
    #expect(run.stdout.isEmpty)
    #expect(
      run.stderr.contains("register 'jobs.*.*' failed: rejected: this server refuses it"), "\(run)")
  }

  struct TokenCase: CustomTestStringConvertible, Sendable {
    let name: String
    let serverOptions: [String]
    let watchOptions: [String]
    var urlSuffix = ""
    var environment: [String: String] = [:]
    let status: Int32
    var testDescription: String { name }
  }

  static let tokenCases: [TokenCase] = [
    TokenCase(
      name: "a wrong token is refused at the info endpoint", serverOptions: ["--token", "right"],
      watchOptions: ["--token", "wrong"], status: 2),
    TokenCase(
      name: "no token at all", serverOptions: ["--token", "right"], watchOptions: [], status: 2),
    TokenCase(
      name: "a wrong token is refused at the upgrade",
      serverOptions: ["--token", "right", "--open-info"],
      watchOptions: ["--token", "wrong"], status: 2),
    TokenCase(
      name: "the token in the URL",
      serverOptions: ["--token", "ri ght", "--events", Winnow.events],
      watchOptions: ["--count", "1"], urlSuffix: "/api/v3/ws?token=ri%20ght", status: 0),
    TokenCase(
      name: "the token from RS_TOKEN",
      serverOptions: ["--token", "env", "--events", Winnow.events],
      watchOptions: ["--count", "1"], environment: ["RS_TOKEN": "env"], status: 0),
  ]

  @Test(arguments: tokenCases)
  func tokens(_ c: TokenCase) throws {
    let server = try OldDRPServer(c.serverOptions)
    let run = try Winnow.run(
      ["watch"] + c.watchOptions + [server.url + c.urlSuffix, "*.*.*"], timeout: 30,
      environment: c.environment)
    #expect(run.status == c.status, "\(run)")
    if c.status == 2 {
      #expect(run.stderr.contains("HTTP 401"), "\(run)")
      #expect(run.stdout.isEmpty)
    } else {
      #expect(run.stdoutLines.count == 1)
    }
  }

  struct UsageCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    let stderr: String
    var testDescription: String { name }
  }

  /// Rejected before any connection (the port is never listened on).
  static let usageCases: [UsageCase] = [
    UsageCase(
      name: "an invalid specifier, positioned",
      arguments: ["ws://127.0.0.1:9", "machines.*.*", "a..c"],
      stderr: "specifier:1:3: error:"),
    UsageCase(
      name: "a bad filter part", arguments: ["ws://127.0.0.1:9", #"a.b.c.Name=Eq("x"#],
      stderr: "specifier:1:"),
    UsageCase(
      name: "a URL that is not an endpoint", arguments: ["ftp://h:1", "a.b.c"],
      stderr: "not a DRP endpoint"),
    UsageCase(
      name: "no specifier", arguments: ["ws://127.0.0.1:9"], stderr: "Give at least one specifier"),
    UsageCase(
      name: "a zero count", arguments: ["--count", "0", "ws://127.0.0.1:9", "a.b.c"],
      stderr: "at least 1"),
    UsageCase(
      name: "TLS to an address without --insecure", arguments: ["wss://127.0.0.1:9", "a.b.c"],
      stderr: "--insecure"),
  ]

  @Test(arguments: usageCases)
  func rejectsBeforeConnecting(_ c: UsageCase) throws {
    let run = try Winnow.run(["watch"] + c.arguments, timeout: 10)
    #expect(run.status == 2, "\(run)")
    #expect(run.stderr.contains(c.stderr), "\(run)")
    #expect(run.stdout.isEmpty)
  }

  @Test func specifierFileErrorsAreLocatedInTheFile() throws {
    let directory = try TemporaryDirectory()
    let file = directory.file("specs.txt", "# watched\nmachines.*.*\n\n  jobs.*.*.Bad=Nope()\n")
    let run = try Winnow.run(["watch", "-f", file, "ws://127.0.0.1:9"], timeout: 10)
    #expect(run.status == 2, "\(run)")
    #expect(run.stderr.contains("specs.txt:4:16: error:"), "\(run)")
  }
}
