import Foundation
import Testing

@testable import Winnow

@Suite struct NDJSONStreamTests {
  /// Writes `bytes` to a temporary file and returns a descriptor open for reading.
  private func open(_ bytes: [UInt8]) throws -> Int32 {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("winnow-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    let fd = Glibc.open(url.path, O_RDONLY)
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
    let text = "first\nsecond line\r\n\n" + String(repeating: "x", count: 100) + "\nlast without newline"
    #expect(try lines(of: text, blockSize: blockSize) == ["first", "second line\r", "", String(repeating: "x", count: 100), "last without newline"])
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
    #expect(Glibc.pipe(&pipe) == 0)
    let filter = NDJSONEventFilter(filter: CompiledFilter(Filter(field("Type", .eq("machines")))))
    var errors: [String] = []
    do {
      let output = OutputBuffer(fd: pipe[1])
      try filter.run(LineReader(fd: fd, blockSize: 8), output: output) { error in
        errors.append("\(error.lineNumber): \(error.diagnostic.message) at \(error.diagnostic.offset)")
      }
      output.flush()
    }
    close(pipe[1])
    let written = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
    #expect(String(decoding: written, as: UTF8.self) == "{\"Type\":\"machines\",\"Key\":\"a\"}\n{\"Type\":\"machines\",\"Key\":\"c\"}\r\n{\"Type\":\"machines\",\"Key\":\"d\"}\n")
    #expect(errors == ["2: expected a JSON value at 0", "6: an event must be a JSON object at 0", "8: the event member 'Type' must be a string at 8"])
    let s = filter.statistics
    #expect(s == NDJSONEventFilter.Statistics(lines: 9, matched: 3, notMatched: 1, blank: 2, errors: 3))
    #expect(s.matched + s.notMatched + s.blank + s.errors == s.lines)
  }
}
