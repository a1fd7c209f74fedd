import Foundation
import Testing

/// A server process started for one test (the scripted old DRP, or `winnow serve`), stopped
/// when the value goes away.
final class ServerProcess {
  let process = Process()
  let directory: TemporaryDirectory
  /// The loopback port it listens on.
  private(set) var port = 0

  /// Starts `executable arguments...`; `port` reads the port it listens on from its directory
  /// (by default the file `port`, which the server writes).
  init(
    executable: URL, arguments: [String], directory: TemporaryDirectory,
    port readPort: @escaping (TemporaryDirectory) -> Int? = ServerProcess.portFile
  ) throws {
    self.directory = directory
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = Winnow.packageRoot
    process.standardOutput = try FileHandle(
      forWritingTo: directory.file("server.stdout", contents: Data()))
    process.standardError = try FileHandle(
      forWritingTo: directory.file("server.stderr", contents: Data()))
    try process.run()
    let deadline = Date().addingTimeInterval(15)
    while Date() < deadline {
      if let port = readPort(directory) {
        self.port = port
        return
      }
      guard process.isRunning else { break }
      Thread.sleep(forTimeInterval: 0.02)
    }
    stop()
    throw ServerFailure(
      message: "the server did not start: "
        + ((try? String(contentsOfFile: directory.path("server.stderr"), encoding: .utf8)) ?? ""))
  }

  /// The port written in the file `port` of the directory.
  static func portFile(_ directory: TemporaryDirectory) -> Int? {
    guard let text = try? String(contentsOfFile: directory.path("port"), encoding: .utf8) else {
      return nil
    }
    return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  struct ServerFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  /// Kills the server: SIGKILL, since a child of the test runner may inherit a mask that
  /// blocks SIGTERM.
  func stop() {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  deinit { stop() }
}

/// The scripted stand-in for an older DRP server (`Scripts/old-drp-server.py`), which does not
/// advertise `websocket-changed-filter`.
final class OldDRPServer {
  let directory: TemporaryDirectory
  let server: ServerProcess

  /// Starts the script with its options (see the script); `--port-file` and `--log` are added.
  init(_ options: [String]) throws {
    directory = try TemporaryDirectory()
    let script = Winnow.packageRoot.appendingPathComponent("Scripts/old-drp-server.py").path
    server = try ServerProcess(
      executable: URL(fileURLWithPath: "/usr/bin/env"),
      arguments: [
        "python3", script, "--port-file", directory.path("port"), "--log", directory.path("log"),
      ] + options,
      directory: directory)
  }

  var url: String { "ws://127.0.0.1:\(server.port)" }

  /// The commands the server received, per connection, in order.
  func commands() throws -> [[String]] {
    guard let text = try? String(contentsOfFile: directory.path("log"), encoding: .utf8) else {
      return []
    }
    var result: [[String]] = []
    for line in text.split(separator: "\n") {
      let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      let connection = record["connection"] as! Int
      while result.count <= connection { result.append([]) }
      result[connection].append(record["command"] as! String)
    }
    return result
  }
}

extension Winnow {
  /// Runs `winnow arguments...`, ended with SIGTERM (and an issue) if it takes longer than
  /// `timeout` seconds.
  static func run(_ arguments: [String], timeout: TimeInterval, environment: [String: String] = [:])
    throws -> Run
  {
    let directory = try TemporaryDirectory()
    let output = directory.file("stdout", contents: Data())
    let errors = directory.file("stderr", contents: Data())
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    var env = ProcessInfo.processInfo.environment
    env["RS_TOKEN"] = nil
    env.merge(environment) { $1 }
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning {
      Issue.record("winnow \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdoutData: try Data(contentsOf: output),
      stderrData: try Data(contentsOf: errors))
  }
}

/// `winnow serve` on an ephemeral loopback port, stopped when the value goes away.
final class HubProcess {
  let directory: TemporaryDirectory
  let server: ServerProcess
  let token: String

  /// Starts `winnow serve --listen 127.0.0.1:0 --token TOKEN options...`.
  init(token: String = "hub-token", _ options: [String] = []) throws {
    directory = try TemporaryDirectory()
    self.token = token
    usesTLS = options.contains("--tls-cert")
    server = try ServerProcess(
      executable: Winnow.binary,
      arguments: ["serve", "--listen", "127.0.0.1:0", "--token", token, "--log-level", "info"]
        + options,
      directory: directory,
      port: { directory in
        // "winnow serve: listening on http://127.0.0.1:PORT"
        guard
          let text = try? String(contentsOfFile: directory.path("server.stderr"), encoding: .utf8),
          let range = text.range(of: "://127.0.0.1:")
        else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
      })
  }

  /// Whether the hub serves TLS (`--tls-cert` among the options).
  let usesTLS: Bool
  var url: String { usesTLS ? "wss://localhost:\(server.port)" : "ws://127.0.0.1:\(server.port)" }
  var httpURL: String {
    usesTLS ? "https://localhost:\(server.port)" : "http://127.0.0.1:\(server.port)"
  }

  /// The hub's log (standard error).
  var log: String {
    (try? String(contentsOfFile: directory.path("server.stderr"), encoding: .utf8)) ?? ""
  }

  /// `GET /api/v3/connections`: the registrations of each open websocket.
  func registrations() throws -> [[String]] {
    let (status, body) = try HTTP.request("GET", httpURL + "/api/v3/connections", token: token)
    guard status == 200, let list = try JSONSerialization.jsonObject(with: body) as? [[String: Any]]
    else { return [] }
    return list.map { ($0["Registrations"] as? [String]) ?? [] }
  }

  /// Waits until some connection holds `count` registrations (at most 15 s).
  func waitForRegistrations(_ count: Int) throws -> [String]? {
    let deadline = Date().addingTimeInterval(15)
    while Date() < deadline {
      if let found = try registrations().first(where: { $0.count == count }) { return found }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return nil
  }
}

/// Plain HTTP requests for tests, through Python's standard library (no client package needed).
enum HTTP {
  static let script = """
    import ssl, sys, urllib.request, urllib.error
    method, url, token, body = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    data = open(body, 'rb').read() if body else None
    request = urllib.request.Request(url, data=data, method=method)
    if token: request.add_header('Authorization', 'Bearer ' + token)
    try:
        response = urllib.request.urlopen(request, timeout=10, context=ssl._create_unverified_context())
        status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    sys.stdout.write(str(status) + '\\n')
    sys.stdout.flush()
    sys.stdout.buffer.write(payload)
    """

  /// Sends the request; the status and the body of the answer.
  static func request(_ method: String, _ url: String, token: String?, bodyFile: String? = nil)
    throws -> (Int, Data)
  {
    let directory = try TemporaryDirectory()
    let output = directory.file("out", contents: Data())
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, method, url, token ?? "", bodyFile ?? ""]
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let data = try Data(contentsOf: output)
    guard let newline = data.firstIndex(of: UInt8(ascii: "\n")),
      let status = Int(String(decoding: data[..<newline], as: UTF8.self))
    else { return (0, Data()) }
    return (status, Data(data[(newline + 1)...]))
  }
}

/// A `winnow` run in the background, waited for later.
final class BackgroundRun {
  let process = Process()
  let directory: TemporaryDirectory

  init(_ arguments: [String]) throws {
    directory = try TemporaryDirectory()
    process.executableURL = Winnow.binary
    process.arguments = arguments
    process.currentDirectoryURL = Winnow.packageRoot
    var environment = ProcessInfo.processInfo.environment
    environment["RS_TOKEN"] = nil
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(
      forWritingTo: directory.file("stdout", contents: Data()))
    process.standardError = try FileHandle(forWritingTo: directory.file("stderr", contents: Data()))
    try process.run()
  }

  /// Waits for the exit (killed, with an issue, after `timeout` seconds).
  func wait(timeout: TimeInterval) throws -> Run {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning {
      Issue.record(
        "winnow \(process.arguments!.joined(separator: " ")) ran longer than \(timeout) s")
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus,
      stdoutData: try Data(contentsOf: directory.url.appendingPathComponent("stdout")),
      stderrData: try Data(contentsOf: directory.url.appendingPathComponent("stderr")))
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
