import Foundation
import Testing

/// A server process started for one test (the scripted old DRP, or `winnow serve`), stopped
/// when the value goes away.
final class ServerProcess {
  let process = Process()
  let directory: TemporaryDirectory
  /// The loopback port it listens on.
  private(set) var port = 0

  /// Starts `executable arguments...`, which writes its port to `directory/port`.
  init(executable: URL, arguments: [String], directory: TemporaryDirectory) throws {
    self.directory = directory
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = Winnow.packageRoot
    process.standardOutput = try FileHandle(forWritingTo: directory.file("server.stdout", contents: Data()))
    process.standardError = try FileHandle(forWritingTo: directory.file("server.stderr", contents: Data()))
    try process.run()
    let deadline = Date().addingTimeInterval(15)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: directory.path("port"), encoding: .utf8),
        let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
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
      arguments: ["python3", script, "--port-file", directory.path("port"), "--log", directory.path("log")] + options,
      directory: directory)
  }

  var url: String { "ws://127.0.0.1:\(server.port)" }

  /// The commands the server received, per connection, in order.
  func commands() throws -> [[String]] {
    guard let text = try? String(contentsOfFile: directory.path("log"), encoding: .utf8) else { return [] }
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
  static func run(_ arguments: [String], timeout: TimeInterval, environment: [String: String] = [:]) throws -> Run {
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
