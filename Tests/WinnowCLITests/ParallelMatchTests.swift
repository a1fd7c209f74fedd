import Foundation
import Testing

/// `winnow match` filters blocks of lines on several threads when it writes in blocks or counts;
/// what it shows must not depend on that: the same standard output, standard error and status
/// as the sequential loop (`WINNOW_THREADS=1`, or `--line-buffered`), from a file (mapped, or
/// read with `--no-mmap`), a redirected file or a pipe.
@Suite struct ParallelMatchTests {
  /// About 4 MiB (several blocks) of events, bad lines, blank lines, CRLF, invalid UTF-8, a line
  /// longer than a block (2 MiB) and an over-long one, and no final LF.
  static let stream: Data = {
    var data = Data()
    for i in 0..<12_000 {
      switch i % 11 {
      case 0, 1, 2:
        data.append(
          Data(
            (#"{"Type":"machines","Action":"save","Key":"m\#(i)","Object":{"Stage":"s\#(i % 7)","Pad":""#
              + String(repeating: "p", count: i % 300) + "\"}}\n").utf8))
      case 3: data.append(Data("\n".utf8))
      case 4: data.append(Data((#"{"Type":"jobs","Key":"j\#(i)"}"# + "\r\n").utf8))
      case 5: data.append(Data("not json \(i)\n".utf8))
      case 6:
        data.append(Data(#"{"Type":"machines","Key":"u\#(i)","Object":{"Name":""#.utf8))
        data.append(contentsOf: [0xFF, 0xC3])
        data.append(Data((#""}}"# + "\n").utf8))
      case 7: data.append(Data("[\(i)]\n".utf8))
      case 8: data.append(Data((#"{"Type":"machines","Key":5}"# + "\n").utf8))
      default:
        data.append(
          Data(
            (#"{"Type":"profiles","Key":"p\#(i)","Object":{"Params":{"a":"\"quoted\"\\n"}}}"# + "\n")
              .utf8))
      }
      if i == 5_000 {
        data.append(
          Data(
            (#"{"Type":"machines","Key":"long","Pad":""# + String(repeating: "l", count: 2 << 20)
              + "\"}\n").utf8))
      }
      if i == 8_000 {
        data.append(Data(String(repeating: "o", count: (3 << 20) + 10).utf8))
        data.append(Data("\n".utf8))
      }
    }
    data.append(Data(#"{"Type":"machines","Key":"last"}"#.utf8))
    return data
  }()

  struct Mode: CustomTestStringConvertible, Sendable {
    let name: String
    let options: [String]
    var testDescription: String { name }
  }

  static let modes = [
    Mode(name: "print", options: []),
    Mode(name: "count with stats", options: ["--count", "--stats"]),
    Mode(name: "a filter", options: ["--filter", #"Object.Stage=Eq("s3")"#]),
  ]

  @Test(arguments: modes)
  func sameAsSequential(mode: Mode) throws {
    let directory = try TemporaryDirectory()
    let file = directory.file("events.ndjson", contents: Self.stream)
    let options = mode.options + ["--max-line-bytes", "3M"]
    let specifier = mode.options.contains("--filter") ? [] : ["machines.*.*"]
    let sequential = try Winnow.run(
      ["match"] + options + specifier + [file.path], environment: ["WINNOW_THREADS": "1"])
    #expect(sequential.status == 2)
    #expect(sequential.stderrLines.count > 1000)
    let runs = [
      ("file", try Winnow.run(["match"] + options + specifier + [file.path])),
      (
        "file read, not mapped",
        try Winnow.run(["match", "--no-mmap"] + options + specifier + [file.path])
      ),
      (
        "three threads",
        try Winnow.run(
          ["match"] + options + specifier + [file.path], environment: ["WINNOW_THREADS": "3"])
      ),
      ("redirected file", try Winnow.run(["match"] + options + specifier, stdin: Self.stream)),
      ("pipe", try Self.runFromPipe(options + specifier, file: file.path)),
    ]
    for (name, run) in runs {
      let expectedStderr =
        name == "redirected file" || name == "pipe"
        ? sequential.stderr.replacingOccurrences(of: file.path + ":", with: "<stdin>:")
        : sequential.stderr
      #expect(run.status == sequential.status, "\(name)")
      #expect(run.stdoutData == sequential.stdoutData, "\(name)")
      #expect(run.stderr == expectedStderr, "\(name)")
    }
  }

  /// `cat FILE | winnow match ARGUMENTS`: standard input is a pipe.
  static func runFromPipe(_ arguments: [String], file: String) throws -> Run {
    let quoted = ([Winnow.binary.path, "match"] + arguments).map {
      "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
    return try Winnow.runShell("cat '\(file)' | " + quoted.joined(separator: " "))
  }
}

extension Winnow {
  /// Runs a shell script (`/bin/sh -c`) in the package root, its standard streams in files.
  static func runShell(_ script: String) throws -> Run {
    try launch(
      URL(fileURLWithPath: "/bin/sh"), ["-c", script], stdin: URL(fileURLWithPath: "/dev/null"),
      in: try TemporaryDirectory())
  }

}
