import Foundation
import Testing

/// `winnow watch` against the built `winnow serve`, which advertises `websocket-changed-filter`:
/// the full specifiers are registered at the hub, which filters; and `winnow serve --upstream`
/// republishing an older DRP's events (the scripted server) to its own clients.
@Suite("winnow watch against winnow serve, and winnow serve --upstream")
struct WatchServeTests {
  static let specifiers = WatchCommandTests.specifiers

  @Test func registersFullSpecifiersAndPrintsWhatTheHubSends() throws {
    let directory = try TemporaryDirectory()
    let events = try WatchCommandTests.eventsFile(in: directory)
    let expected = try WatchCommandTests.expected(events, in: directory)

    let hub = try HubProcess()
    let watch = try BackgroundRun(
      ["watch", "--token", hub.token, "--count", "\(expected.count)", hub.url] + Self.specifiers)
    // The hub holds the specifiers with their filters (canonical forms).
    let registered = try hub.waitForRegistrations(Self.specifiers.count)
    #expect(registered?.contains(#"jobs.*.*.Object.State=In("failed","incomplete")"#) == true, "\(hub.log)")
    let (status, body) = try HTTP.request("POST", hub.httpURL + "/api/v3/events", token: hub.token, bodyFile: events)
    #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")

    let run = try watch.wait(timeout: 30)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdoutLines == expected, "\(run)")
  }

  @Test func aRefusedTokenEndsWithStatus2() throws {
    let hub = try HubProcess()
    let run = try Winnow.run(["watch", "--token", "wrong", hub.url, "*.*.*"], timeout: 30)
    #expect(run.status == 2, "\(run)")
    #expect(run.stderr.contains("HTTP 401"), "\(run)")
  }

  @Test func theHubRepublishesAnOlderDRPsEventsWithTheWholeLanguage() throws {
    let directory = try TemporaryDirectory()
    let events = try WatchCommandTests.eventsFile(in: directory)
    let expected = try WatchCommandTests.expected(events, in: directory)
    let trigger = directory.path("go")

    let old = try OldDRPServer(["--events", events, "--token", "old-token", "--hold-events-until", trigger])
    let hub = try HubProcess(["--upstream", old.url, "--upstream-token", "old-token"])
    let watch = try BackgroundRun(
      ["watch", "--token", hub.token, "--count", "\(expected.count)", hub.url] + Self.specifiers)
    #expect(try hub.waitForRegistrations(Self.specifiers.count) != nil, "\(hub.log)")
    // The hub registered everything upstream.
    let deadline = Date().addingTimeInterval(15)
    while try old.commands().isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    #expect(try old.commands() == [["register *.*.*"]])
    _ = FileManager.default.createFile(atPath: trigger, contents: Data())

    let run = try watch.wait(timeout: 30)
    #expect(run.status == 0, "\(run)\n\(hub.log)")
    #expect(run.stdoutLines == expected, "\(run)")
  }

  @Test func aRefusedUpstreamTokenStopsTheHub() throws {
    let old = try OldDRPServer(["--token", "old-token"])
    let directory = try TemporaryDirectory()
    let process = Process()
    process.executableURL = Winnow.binary
    process.arguments = [
      "serve", "--listen", "127.0.0.1:0", "--token", "t", "--upstream", old.url, "--upstream-token", "wrong",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: directory.file("stderr", contents: Data()))
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    let stderr = try String(contentsOfFile: directory.path("stderr"), encoding: .utf8)
    #expect(process.terminationStatus == 2, "\(stderr)")
    #expect(stderr.contains("HTTP 401"), "\(stderr)")
  }
}
