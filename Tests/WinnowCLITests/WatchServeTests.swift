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
    #expect(
      registered?.contains(#"jobs.*.*.Object.State=In("failed","incomplete")"#) == true,
      "\(hub.log)")
    let (status, body) = try HTTP.request(
      "POST", hub.httpURL + "/api/v3/events", token: hub.token, bodyFile: events)
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

    let old = try OldDRPServer([
      "--events", events, "--token", "old-token", "--hold-events-until", trigger,
    ])
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
      "serve", "--listen", "127.0.0.1:0", "--token", "t", "--upstream", old.url, "--upstream-token",
      "wrong",
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

/// `winnow watch wss://` against `winnow serve --tls-cert/--tls-key` with a self-signed
/// certificate made by openssl for the test.
@Suite(
  "winnow watch over TLS",
  .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct WatchTLSTests {
  /// A self-signed certificate and key for `localhost`, in `directory`.
  static func certificate(in directory: TemporaryDirectory) throws -> (cert: String, key: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-days", "2",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
      "-keyout", directory.path("key.pem"), "-out", directory.path("cert.pem"),
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return (directory.path("cert.pem"), directory.path("key.pem"))
  }

  @Test func insecureAcceptsASelfSignedCertificateAndVerificationRefusesIt() throws {
    let directory = try TemporaryDirectory()
    let (cert, key) = try Self.certificate(in: directory)
    let hub = try HubProcess(["--tls-cert", cert, "--tls-key", key])

    let refused = try Winnow.run(
      ["watch", "--token", hub.token, hub.url, "machines.*.*"], timeout: 30)
    #expect(refused.status == 2, "\(refused)")
    #expect(refused.stderr.contains("TLS") && refused.stderr.contains("--insecure"), "\(refused)")

    let events = try WatchCommandTests.eventsFile(in: directory)
    let expected = try Winnow.run(["match", "machines.*.*", events]).stdoutLines
    let watch = try BackgroundRun(
      [
        "watch", "--insecure", "--token", hub.token, "--count", "\(expected.count)", hub.url,
        "machines.*.*",
      ])
    #expect(try hub.waitForRegistrations(1) == ["machines.*.*"], "\(hub.log)")
    let (status, _) = try HTTP.request(
      "POST", hub.httpURL + "/api/v3/events", token: hub.token, bodyFile: events)
    #expect(status == 201)
    let run = try watch.wait(timeout: 30)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdoutLines == expected)
  }
}
