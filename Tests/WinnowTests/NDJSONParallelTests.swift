import Foundation
import Testing

@testable import Winnow

/// The block-parallel loop gives what the sequential loop gives: the same output bytes, counts,
/// errors (text, order, line numbers, line bytes) and end, whatever the block size, the number
/// of workers, and whether the input is a file or a pipe.
@Suite struct NDJSONParallelTests {
  /// Everything a run shows.
  struct Outcome: Equatable, CustomStringConvertible {
    var output: [UInt8] = []
    var errors: [String] = []
    var statistics = NDJSONEventFilter.Statistics()
    var end: NDJSONEventFilter.RunEnd?
    var readError: String?

    var description: String {
      "end \(String(describing: end)) read error \(readError ?? "none") \(statistics)\n"
        + errors.joined(separator: "\n") + "\n--- output\n"
        + String(decoding: output, as: UTF8.self)
    }
  }

  enum Source: String, CaseIterable, Sendable {
    /// A regular file, mapped when it holds more than a block.
    case file
    /// A regular file, read.
    case unmappedFile
    case pipe
  }

  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    var maxLineBytes = 200
    var testDescription: String { name }
  }

  static let machines = CompiledFilter(Filter(field("Type", .eq("machines"))))

  /// A line of each kind, chosen at random: matching and other events, blank and
  /// whitespace-only lines, CRLF, invalid JSON, non-objects, non-events, invalid UTF-8, lines
  /// longer than small blocks but within the limit, and lines over the limit.
  static func randomLines(count: Int, seed: UInt64) -> [UInt8] {
    var random = SeededGenerator(seed: seed)
    var bytes: [UInt8] = []
    for i in 0..<count {
      let pad = String(repeating: "p", count: Int.random(in: 0..<40, using: &random))
      let line: String
      switch Int.random(in: 0..<14, using: &random) {
      case 0, 1, 2: line = "{\"Type\":\"machines\",\"Key\":\"\(i)\",\"P\":\"\(pad)\"}"
      case 3, 4: line = "{\"Type\":\"jobs\",\"Key\":\"\(i)\"}"
      case 5: line = ""
      case 6: line = " \t "
      case 7: line = "{\"Type\":\"machines\",\"Key\":\"\(i)\"}\r"
      case 8: line = "{\"Type\":\"machines\",\"Key\":"
      case 9: line = "[1,2,\(i)]"
      case 10: line = "{\"Type\":5,\"Key\":\"\(i)\"}"
      case 11:
        line = "{\"Type\":\"machines\",\"Key\":\"" + String(repeating: "k", count: 150) + "\"}"
      case 12:
        line = "{\"Type\":\"machines\",\"Key\":\"" + String(repeating: "o", count: 300) + "\"}"
      default:
        bytes += Array("{\"Type\":\"machines\",\"Key\":\"\u{FF}".utf8) + [0xFF, 0xC3]
        line = "\",\"Object\":{\"Name\":\"x\"}}"
      }
      bytes += Array(line.utf8)
      bytes.append(0x0A)
    }
    return bytes
  }

  static let cases: [Case] = [
    Case(name: "empty input", input: []),
    Case(name: "one LF", input: Array("\n".utf8)),
    Case(name: "one match without final LF", input: Array("{\"Type\":\"machines\"}".utf8)),
    Case(
      name: "blank, CRLF, bad lines, no final LF",
      input: Array(
        "{\"Type\":\"machines\",\"Key\":\"a\"}\nnot json\n{\"Type\":\"jobs\"}\r\n\n   \t\n[1]\n{\"Type\":\"machines\"}\r\n{\"Type\":5}\n{\"Type\":\"machines\",\"Key\":\"d\"}"
          .utf8)),
    Case(name: "random lines", input: randomLines(count: 400, seed: 1)),
    Case(name: "random lines, no final LF", input: randomLines(count: 300, seed: 2).dropLast()),
    Case(
      name: "over-long line last, without LF",
      input: randomLines(count: 50, seed: 3) + Array(repeating: 0x61, count: 1000)),
    Case(
      name: "lines longer than the blocks and the reader's reads",
      input: randomLines(count: 40, seed: 4)
        + Array(
          ("{\"Type\":\"machines\",\"K\":\"" + String(repeating: "l", count: 5000) + "\"}\n").utf8)
        + randomLines(count: 40, seed: 5), maxLineBytes: 10_000),
  ]

  /// Block sizes from one byte (every line longer than a block) to more than the input.
  static let blockSizes = [1, 7, 64, 333, 4096, 1 << 20]

  @Test(arguments: cases, Source.allCases)
  func sameAsSequential(c: Case, source: Source) throws {
    let expected = try Self.outcome(c, source: source, parallel: nil, readSize: 1 << 20)
    #expect(expected.statistics.lines >= 0)
    for blockSize in Self.blockSizes {
      for workers in [2, 3] {
        for readSize in [5, 1 << 20] {
          let parallel = ParallelOptions(
            workers: workers, blockSize: blockSize, mapsFiles: source != .unmappedFile)
          let got = try Self.outcome(c, source: source, parallel: parallel, readSize: readSize)
          #expect(
            got == expected,
            "block \(blockSize), \(workers) workers, reads of \(readSize)")
        }
      }
    }
  }

  /// The counts of the random input, so that the comparisons above compare something.
  @Test func randomLinesHoldEveryKind() throws {
    let c = Self.cases.first { $0.name == "random lines" }!
    let s = try Self.outcome(c, source: .file, parallel: nil, readSize: 1 << 20).statistics
    #expect(s.lines == 400)
    #expect(s.matched > 50 && s.notMatched > 20 && s.blank > 20 && s.errors > 80)
  }

  /// A file whose descriptor was moved on before the run (standard input redirected from a file
  /// that something read first) is filtered from there, mapped or read: the mapping starts at a
  /// page boundary before the offset and must not show the bytes before it.
  @Test(arguments: [1, 4095, 4096, 4097, 20_000])
  func startsAtTheDescriptorsOffset(offset: Int) throws {
    let skipped = Array(
      String(repeating: "{\"Type\":\"machines\",\"Key\":\"skipped\"}\n", count: 1000).utf8)
    let input = Self.randomLines(count: 3000, seed: 7)
    let bytes = Array((skipped + input).prefix(offset)) + input
    var outcomes: [Outcome] = []
    for mapsFiles in [false, true] {
      let fd = try Self.open(bytes)
      defer { close(fd) }
      #expect(lseek(fd, off_t(offset), SEEK_SET) == off_t(offset))
      let filter = NDJSONEventFilter(filter: Self.machines, limits: JSONLimits(maxLineBytes: 200))
      var outcome = Outcome()
      let sink = try Self.open([])
      defer { close(sink) }
      let output = OutputBuffer(fd: sink, capacity: 4096)
      outcome.end = try filter.run(
        LineReader(fd: fd, options: LineReader.Options(maxLineBytes: 200)), output: output,
        parallel: ParallelOptions(workers: 2, blockSize: 4096, mapsFiles: mapsFiles)
      ) { outcome.errors.append(Self.describe($0)) }
      output.flush()
      outcome.statistics = filter.statistics
      outcome.output = Self.contents(sink)
      outcomes.append(outcome)
    }
    #expect(outcomes[0] == outcomes[1])
    #expect(outcomes[0].statistics.lines == 3000)
    #expect(!outcomes[0].output.isEmpty)
    #expect(String(decoding: outcomes[1].output, as: UTF8.self).contains("skipped") == false)
  }

  /// A mapped file truncated while it is filtered does not end the process (pages past its new
  /// end read as zeros): the run reports the truncation as a read error, and what it wrote is
  /// the start of what the whole file gives.
  @Test func aFileTruncatedWhileMappedIsReported() throws {
    let input = Self.randomLines(count: 6000, seed: 11)
    let whole = try Self.outcome(
      Case(name: "whole", input: input), source: .unmappedFile, parallel: nil, readSize: 1 << 20)
    let fd = try Self.open(input)
    defer { close(fd) }
    let sink = try Self.open([])
    defer { close(sink) }
    let faultsBefore = MappedInput.guardedFaults
    let filter = NDJSONEventFilter(filter: Self.machines, limits: JSONLimits(maxLineBytes: 200))
    let output = OutputBuffer(fd: sink, capacity: 4096)
    var truncated = false
    var message: String?
    do {
      try filter.run(
        LineReader(fd: fd, options: LineReader.Options(maxLineBytes: 200)), output: output,
        parallel: ParallelOptions(workers: 2, blockSize: 4096),
        progress: { _ in
          if !truncated {
            truncated = true
            #expect(ftruncate(fd, off_t(input.count / 3)) == 0)
          }
        }
      ) { _ in }
    } catch {
      message = error.message
    }
    output.flush()
    #expect(!output.failed, "lines that vanished are not a failed write")
    #expect(truncated)
    #expect(message?.contains("the file shrank to \(input.count / 3) bytes") == true)
    #expect(MappedInput.guardedFaults > faultsBefore, "pages past the new end were read")
    let written = Self.contents(sink)
    #expect(!written.isEmpty)
    #expect(whole.output.starts(with: written))
  }

  /// Line numbers restart with each input; the counts add up over all of them.
  @Test(arguments: [1, 4, 4096])
  func numbersLinesPerInput(blockSize: Int) throws {
    let filter = NDJSONEventFilter(filter: Self.machines)
    var errors: [String] = []
    let inputs = [("a", "{\"Type\":\"machines\"}\nbad\n"), ("b", "\n{}\n[]\nbad"), ("c", "x\n")]
    for (name, text) in inputs {
      let fd = try Self.open(Array(text.utf8))
      defer { close(fd) }
      try filter.run(
        LineReader(fd: fd, options: LineReader.Options(blockSize: 3)), output: nil,
        parallel: ParallelOptions(workers: 2, blockSize: blockSize)
      ) { errors.append("\(name):\($0.lineNumber)") }
    }
    #expect(errors == ["a:2", "b:3", "b:4", "c:1"])
    #expect(
      filter.statistics
        == NDJSONEventFilter.Statistics(lines: 7, matched: 1, notMatched: 1, blank: 1, errors: 4))
  }

  /// A write that fails (a closed pipe) stops both loops at the same line, with the same counts.
  @Test(arguments: [7, 64, 4096])
  func stopsAtTheSameLineOnAFailedWrite(blockSize: Int) throws {
    signal(SIGPIPE, SIG_IGN)
    let input = Array(
      String(repeating: "{\"Type\":\"machines\"}\nbad\n\n{\"Type\":\"jobs\"}\n", count: 2000).utf8)
    var results: [NDJSONEventFilter.Statistics] = []
    for parallel in [nil, ParallelOptions(workers: 2, blockSize: blockSize)] {
      let fd = try Self.open(input)
      defer { close(fd) }
      let pipe = Self.makePipe()
      close(pipe.read)
      defer { close(pipe.write) }
      let filter = NDJSONEventFilter(filter: Self.machines)
      let end = try filter.run(
        LineReader(fd: fd, options: LineReader.Options(blockSize: 64)),
        output: OutputBuffer(fd: pipe.write, capacity: 100), parallel: parallel
      ) { _ in }
      #expect(end == .writeFailed)
      results.append(filter.statistics)
    }
    #expect(results[0] == results[1])
    #expect(results[0].lines < 8000)
  }

  /// An input without end (no LF for more than the skip limit) ends with the same read error,
  /// after the same lines. (The bytes the error counts depend on the sizes of the reads, a
  /// pipe's or a file's, in the sequential loop too; they are not compared.)
  @Test func endlessLineEndsTheSame() throws {
    let input =
      Array("{\"Type\":\"machines\"}\nbad\n".utf8) + Array(repeating: 0x20, count: 20_000)
    var outcomes: [Outcome] = []
    for parallel in [nil, ParallelOptions(workers: 2, blockSize: 512)] {
      let fd = try Self.open(input)
      defer { close(fd) }
      let filter = NDJSONEventFilter(
        filter: Self.machines, limits: JSONLimits(maxLineBytes: 100))
      var outcome = Outcome()
      let options = LineReader.Options(maxLineBytes: 100, maxSkippedBytes: 1000, blockSize: 256)
      do {
        outcome.end = try filter.run(
          LineReader(fd: fd, options: options), output: nil, parallel: parallel
        ) { outcome.errors.append(Self.describe($0)) }
      } catch {
        outcome.readError = String(error.message.filter { !$0.isNumber })
      }
      outcome.statistics = filter.statistics
      outcomes.append(outcome)
    }
    #expect(outcomes[0] == outcomes[1])
    #expect(outcomes[0].readError != nil)
  }

  // MARK: - Helpers

  static func describe(_ error: NDJSONEventFilter.LineError) -> String {
    "\(error.lineNumber): \(error.diagnostic.code) \(error.diagnostic.message) at "
      + "\(error.diagnostic.offset) in \(Array(error.line))"
  }

  /// Runs a filter over the case's input, read from a file or a pipe written in small pieces.
  static func outcome(
    _ c: Case, source: Source, parallel: ParallelOptions?, readSize: Int
  ) throws -> Outcome {
    let fd: Int32
    var writer: Thread?
    switch source {
    case .file, .unmappedFile:
      fd = try open(c.input)
    case .pipe:
      let pipe = makePipe()
      fd = pipe.read
      let input = c.input
      writer = Thread {
        var offset = 0
        var size = 1
        while offset < input.count {
          let n = min(size, input.count - offset)
          let written = input[offset..<offset + n].withUnsafeBytes {
            write(pipe.write, $0.baseAddress!, n)
          }
          if written <= 0 { break }
          offset += written
          size = size * 3 % 1000 + 1
        }
        close(pipe.write)
      }
      writer!.start()
    }
    defer { close(fd) }
    let sink = try open([])
    defer { close(sink) }
    let filter = NDJSONEventFilter(
      filter: machines, limits: JSONLimits(maxLineBytes: c.maxLineBytes))
    var outcome = Outcome()
    let options = LineReader.Options(maxLineBytes: c.maxLineBytes, blockSize: readSize)
    do {
      let output = OutputBuffer(fd: sink, capacity: 256)
      outcome.end = try filter.run(
        LineReader(fd: fd, options: options), output: output, parallel: parallel
      ) { outcome.errors.append(describe($0)) }
      output.flush()
    } catch {
      outcome.readError = error.message
    }
    outcome.statistics = filter.statistics
    outcome.output = contents(sink)
    return outcome
  }

  /// Everything written to the file `fd`.
  static func contents(_ fd: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    lseek(fd, 0, SEEK_SET)
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(fd, &chunk, chunk.count)
      if n <= 0 { break }
      bytes += chunk[..<n]
    }
    return bytes
  }

  /// A descriptor open for reading and writing on a new temporary file holding `bytes`.
  static func open(_ bytes: [UInt8]) throws -> Int32 {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "winnow-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    let fd = POSIX.open(url.path, O_RDWR)
    try FileManager.default.removeItem(at: url)
    return fd
  }

  static func makePipe() -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    precondition(POSIX.pipe(&fds) == 0)
    return (fds[0], fds[1])
  }
}
