import Foundation
import Testing

@testable import Winnow

@Suite struct NDJSONStreamTests {
  /// Writes `bytes` to a temporary file and returns a descriptor open for reading.
  private func open(_ bytes: [UInt8]) throws -> Int32 {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "winnow-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    let fd = POSIX.open(url.path, O_RDONLY)
    try FileManager.default.removeItem(at: url)
    return fd
  }

  private func lines(of text: String, blockSize: Int) throws -> [String] {
    let fd = try open(Array(text.utf8))
    defer { close(fd) }
    let reader = LineReader(fd: fd, blockSize: blockSize)
    var lines: [String] = []
    try reader.forEachLine { line in
      lines.append(String(decoding: line, as: UTF8.self))
      return true
    }
    return lines
  }

  @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
  func splitsLinesWhateverTheBlockSize(blockSize: Int) throws {
    let text =
      "first\nsecond line\r\n\n" + String(repeating: "x", count: 100) + "\nlast without newline"
    #expect(
      try lines(of: text, blockSize: blockSize) == [
        "first", "second line\r", "", String(repeating: "x", count: 100), "last without newline",
      ])
  }

  @Test func emptyInputHasNoLines() throws {
    #expect(try lines(of: "", blockSize: 16) == [])
    #expect(try lines(of: "\n", blockSize: 16) == [""])
  }

  @Test func filtersEventsAndAccountsForEveryLine() throws {
    let input = """
      {"Type":"machines","Key":"a"}
      not json
      {"Type":"jobs","Key":"b"}\r

         \t
      [1,2]
      {"Type":"machines","Key":"c"}\r
      {"Type":5}
      {"Type":"machines","Key":"d"}
      """
    let fd = try open(Array(input.utf8))
    defer { close(fd) }
    var pipe: [Int32] = [0, 0]
    #expect(POSIX.pipe(&pipe) == 0)
    let filter = NDJSONEventFilter(filter: CompiledFilter(Filter(field("Type", .eq("machines")))))
    var errors: [String] = []
    do {
      let output = OutputBuffer(fd: pipe[1])
      try filter.run(LineReader(fd: fd, blockSize: 8), output: output) { error in
        errors.append(
          "\(error.lineNumber): \(error.diagnostic.message) at \(error.diagnostic.offset)")
      }
      output.flush()
    }
    close(pipe[1])
    let written = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
    #expect(
      String(decoding: written, as: UTF8.self)
        == "{\"Type\":\"machines\",\"Key\":\"a\"}\n{\"Type\":\"machines\",\"Key\":\"c\"}\r\n{\"Type\":\"machines\",\"Key\":\"d\"}\n"
    )
    #expect(
      errors == [
        "2: expected a JSON value at 0", "6: an event must be a JSON object at 0",
        "8: the event member 'Type' must be a string at 8",
      ])
    let s = filter.statistics
    #expect(
      s == NDJSONEventFilter.Statistics(lines: 9, matched: 3, notMatched: 1, blank: 2, errors: 3))
    #expect(s.matched + s.notMatched + s.blank + s.errors == s.lines)
  }

  // MARK: - The stream loop of `winnow match`

  /// A pipe's two ends.
  private func makePipe() -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    precondition(Glibc.pipe(&fds) == 0)
    return (fds[0], fds[1])
  }

  /// The bytes waiting in a pipe, read without blocking.
  private func available(_ fd: Int32) -> String {
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    defer { _ = fcntl(fd, F_SETFL, flags) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = Glibc.read(fd, &chunk, chunk.count)
      if n <= 0 { break }
      bytes += chunk[..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static let machines = CompiledFilter(Filter(field("Type", .eq("machines"))))

  /// Line numbers restart with each input; the statistics add up over all of them.
  @Test func numbersLinesPerInput() throws {
    let filter = NDJSONEventFilter(filter: NDJSONStreamTests.machines)
    var errors: [String] = []
    for (name, text) in [("a", "{\"Type\":\"machines\"}\nbad\n"), ("b", "\n{}\n[]\nbad")] {
      let fd = try open(Array(text.utf8))
      defer { close(fd) }
      try filter.run(LineReader(fd: fd, blockSize: 3), output: nil) {
        errors.append("\(name):\($0.lineNumber)")
      }
    }
    #expect(errors == ["a:2", "b:3", "b:4"])
    #expect(
      filter.statistics
        == NDJSONEventFilter.Statistics(lines: 6, matched: 1, notMatched: 1, blank: 1, errors: 3))
  }

  struct FlushCase: CustomTestStringConvertible, Sendable {
    let name: String
    let policy: NDJSONEventFilter.FlushPolicy
    /// What the reader of the output has when line 2 (an error) is reported.
    let seenAtLineTwo: String
    var testDescription: String { name }
  }

  static let flushCases = [
    FlushCase(name: "block: nothing before the end", policy: .block, seenAtLineTwo: ""),
    FlushCase(
      name: "each line: the match at once", policy: .eachLine,
      seenAtLineTwo: "{\"Type\":\"machines\"}\n"),
  ]

  @Test(arguments: flushCases)
  func flushesAsThePolicySays(c: FlushCase) throws {
    let fd = try open(
      Array("{\"Type\":\"machines\"}\nbad\n{\"Type\":\"machines\",\"Key\":\"2\"}\n".utf8))
    defer { close(fd) }
    let pipe = makePipe()
    defer { close(pipe.read) }
    let filter = NDJSONEventFilter(filter: NDJSONStreamTests.machines)
    var seen: String?
    let end = try filter.run(
      LineReader(fd: fd, blockSize: 4), output: OutputBuffer(fd: pipe.write), flush: c.policy
    ) { _ in
      seen = available(pipe.read)
    }
    close(pipe.write)
    #expect(end == .endOfInput)
    #expect(seen == c.seenAtLineTwo)
    #expect(
      seen! + available(pipe.read)
        == "{\"Type\":\"machines\"}\n{\"Type\":\"machines\",\"Key\":\"2\"}\n")
  }

  /// The progress callback sees the bytes read grow to the input's size.
  @Test func reportsProgress() throws {
    let text = String(repeating: "{\"Type\":\"jobs\"}\n", count: 100)
    let fd = try open(Array(text.utf8))
    defer { close(fd) }
    let filter = NDJSONEventFilter(filter: NDJSONStreamTests.machines)
    var progress: [Int] = []
    try filter.run(
      LineReader(fd: fd, blockSize: 256), output: nil, progress: { progress.append($0) }
    ) { _ in }
    #expect(progress.count >= text.utf8.count / 256)
    #expect(progress == progress.sorted() && Set(progress).count == progress.count)
    #expect(progress.last == text.utf8.count)
  }

  /// A failed write (the reader of a pipe is gone) stops the loop: nothing more is read.
  @Test func stopsOnAFailedWrite() throws {
    signal(SIGPIPE, SIG_IGN)
    let text = String(repeating: "{\"Type\":\"machines\"}\n", count: 1000)
    let fd = try open(Array(text.utf8))
    defer { close(fd) }
    let pipe = makePipe()
    close(pipe.read)
    defer { close(pipe.write) }
    let filter = NDJSONEventFilter(filter: NDJSONStreamTests.machines)
    let end = try filter.run(
      LineReader(fd: fd, blockSize: 64), output: OutputBuffer(fd: pipe.write), flush: .eachLine
    ) { _ in }
    #expect(end == .writeFailed)
    #expect(filter.statistics.matched == 1)
  }

  /// An over-long line is an error line like any other: reported with its number, counted,
  /// skipped to its LF, and the run goes on.
  @Test(arguments: [1, 5, 4096])
  func skipsOverlongLines(blockSize: Int) throws {
    let long = "{\"Type\":\"machines\",\"pad\":\"" + String(repeating: "x", count: 200) + "\"}"
    let text = "{\"Type\":\"machines\"}\n" + long + "\n{\"Type\":\"machines\"}\n" + long
    let fd = try open(Array(text.utf8))
    defer { close(fd) }
    let filter = NDJSONEventFilter(
      filter: NDJSONStreamTests.machines, limits: JSONLimits(maxLineBytes: 100))
    var errors: [String] = []
    let options = LineReader.Options(maxLineBytes: filter.limits.maxLineBytes, blockSize: blockSize)
    try filter.run(LineReader(fd: fd, options: options), output: nil) { error in
      errors.append(
        "\(error.lineNumber) \(error.diagnostic.code) at \(error.diagnostic.offset), \(error.line.count) bytes"
      )
    }
    #expect(errors == ["2 limitExceeded at 100, 101 bytes", "4 limitExceeded at 100, 101 bytes"])
    #expect(filter.statistics == NDJSONEventFilter.Statistics(lines: 4, matched: 2, errors: 2))
    // `test` alone applies the same limit.
    let single = NDJSONEventFilter(
      filter: NDJSONStreamTests.machines, limits: JSONLimits(maxLineBytes: 100))
    var reported: [Int] = []
    let matched = Array(long.utf8).withUnsafeBufferPointer {
      single.test($0) { reported.append($0.line.count) }
    }
    #expect(!matched && reported == [101])
  }
}
