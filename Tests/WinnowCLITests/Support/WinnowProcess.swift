import Foundation
import Testing

/// What one run of the `winnow` binary produced.
struct Run: CustomStringConvertible {
  let status: Int32
  let stdoutData: Data
  let stderrData: Data

  var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
  var stderr: String { String(decoding: stderrData, as: UTF8.self) }
  /// The lines of standard output, split at LF only (a CR stays in its line).
  var stdoutLines: [String] { Run.lines(stdoutData) }
  var stderrLines: [String] { Run.lines(stderrData) }

  private static func lines(_ data: Data) -> [String] {
    data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
      .map { String(decoding: $0, as: UTF8.self) }
  }

  var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs the built `winnow` executable as a user would, with files for its standard streams (no
/// pipe can fill up and block, whatever the sizes).
enum Winnow {
  /// The package's root directory.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The sample events of the language reference, relative to the package root, where every
  /// run starts (so that paths in snapshots do not depend on the checkout's location).
  static let events = "Grammar/examples/events.ndjson"
  static let sampleEvent = "Grammar/examples/sample-machine-event.json"

  /// The executable: `WINNOW_BINARY` if set, else next to the test bundle (the build directory
  /// `swift build --build-tests` fills), else `.build/debug/winnow`.
  static let binary: URL = {
    if let path = ProcessInfo.processInfo.environment["WINNOW_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    var candidates: [URL] = []
    let argument0 = URL(fileURLWithPath: CommandLine.arguments[0])
    candidates.append(argument0.deletingLastPathComponent().appendingPathComponent("winnow"))
    candidates.append(Bundle.main.bundleURL.appendingPathComponent("winnow"))
    candidates.append(
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("winnow"))
    for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
      candidates.append(
        bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("winnow"))
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/winnow"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? candidates.last!
  }()

  /// Runs `winnow arguments...` with `stdin` as its standard input (empty when nil), or the
  /// file at `stdinPath` (`/dev/zero`, say).
  static func run(
    _ arguments: [String], stdin: Data? = nil, stdinPath: String? = nil,
    environment: [String: String] = [:]
  ) throws -> Run {
    let directory = try TemporaryDirectory()
    let input =
      stdinPath.map(URL.init(fileURLWithPath:))
      ?? directory.file("stdin", contents: stdin ?? Data())
    return try launch(binary, arguments, stdin: input, environment: environment, in: directory)
  }

  /// Runs `executable` in the package root with standard input from the file `stdin` and the
  /// other two streams in files of `directory`.
  static func launch(
    _ executable: URL, _ arguments: [String], stdin: URL, environment: [String: String] = [:],
    in directory: TemporaryDirectory
  ) throws -> Run {
    let output = directory.file("stdout", contents: Data())
    let errors = directory.file("stderr", contents: Data())
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    process.standardInput = try FileHandle(forReadingFrom: stdin)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdoutData: try Data(contentsOf: output),
      stderrData: try Data(contentsOf: errors))
  }

  static func run(_ arguments: [String], stdin: String) throws -> Run {
    try run(arguments, stdin: Data(stdin.utf8))
  }
}

/// A directory removed when the value goes away.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "winnow-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes a file in the directory and returns its URL.
  @discardableResult
  func file(_ name: String, contents: Data) -> URL {
    let file = url.appendingPathComponent(name)
    _ = FileManager.default.createFile(atPath: file.path, contents: contents)
    return file
  }

  func file(_ name: String, _ text: String) -> String { file(name, contents: Data(text.utf8)).path }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
