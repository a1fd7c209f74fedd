import Foundation
import Testing

@testable import Winnow

/// The line reader: lines split at LF whatever the block size, the line limit, and the skipping
/// of over-long lines without keeping them.
@Suite struct LineReaderTests {
  /// What a reader handed out: lines as text, over-long lines as `!N:prefix-length`.
  private static func read(
    _ text: String, options: LineReader.Options
  ) throws(LineReader.ReadError) -> [String] {
    let fd = temporaryDescriptor(Array(text.utf8))
    defer { close(fd) }
    let reader = LineReader(fd: fd, options: options)
    var lines: [String] = []
    try reader.forEachLine { line in
      lines.append("\(reader.lineNumber):" + String(decoding: line, as: UTF8.self))
      return true
    } overlong: { line in
      lines.append("\(reader.lineNumber)!" + String(decoding: line.prefix, as: UTF8.self))
      return true
    }
    return lines
  }

  struct LimitCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let limit: Int
    let expected: [String]
    var testDescription: String { name }
  }

  static let limitCases: [LimitCase] = [
    LimitCase(
      name: "lines at the limit pass", text: "abcd\nefgh\n", limit: 4,
      expected: ["1:abcd", "2:efgh"]),
    LimitCase(
      name: "one byte over is reported with the first byte past the limit",
      text: "abcde\nxy\n", limit: 4, expected: ["1!abcde", "2:xy"]),
    LimitCase(
      name: "a CR counts, the LF does not", text: "abc\r\nabcd\r\n", limit: 4,
      expected: ["1:abc\r", "2!abcd\r"]),
    LimitCase(
      name: "far past the limit, skipped to the LF",
      text: String(repeating: "z", count: 5000) + "\nok\n",
      limit: 4, expected: ["1!zzzzz", "2:ok"]),
    LimitCase(
      name: "an over-long last line without LF", text: "ok\n" + String(repeating: "z", count: 300),
      limit: 10, expected: ["1:ok", "2!zzzzzzzzzzz"]),
    LimitCase(
      name: "several over-long lines in a row and blank lines between",
      text: "aaaaaaa\nbbbbbbbbbbbb\n\ncccccc\nd", limit: 5,
      expected: ["1!aaaaaa", "2!bbbbbb", "3:", "4!cccccc", "5:d"]),
    LimitCase(
      name: "limit zero allows only empty lines", text: "\nx\n\n", limit: 0,
      expected: ["1:", "2!x", "3:"]),
  ]

  @Test(arguments: limitCases, [1, 2, 3, 7, 64, 1 << 20])
  func reportsAndSkipsLinesOverTheLimit(c: LimitCase, blockSize: Int) throws {
    let options = LineReader.Options(maxLineBytes: c.limit, blockSize: blockSize)
    #expect(try LineReaderTests.read(c.text, options: options) == c.expected)
  }

  /// An over-long line that runs on past the skip bound is given up, naming its line.
  @Test(arguments: [1, 16, 4096])
  func givesUpOnAnEndlessLine(blockSize: Int) throws {
    let text = "ok\n" + String(repeating: "z", count: 10_000)
    let options = LineReader.Options(maxLineBytes: 8, maxSkippedBytes: 1_000, blockSize: blockSize)
    do {
      let lines = try LineReaderTests.read(text, options: options)
      Issue.record("read to the end: \(lines.count) lines")
    } catch {
      #expect(error.message.hasPrefix("line 2 has no end within "))
    }
    // Within the bound, the line is skipped to the end of the input.
    let bounded = LineReader.Options(maxLineBytes: 8, maxSkippedBytes: 20_000, blockSize: blockSize)
    #expect(try LineReaderTests.read(text, options: bounded) == ["1:ok", "2!zzzzzzzzz"])
  }

  /// The buffer never grows past the line limit and a block, however long the line: checked
  /// through the reader's statistics of a stream far longer than the limit.
  @Test func readsEveryByteOfAnOverlongLine() throws {
    let fd = temporaryDescriptor([UInt8](repeating: 0x30, count: 3 << 20) + Array("\n{}\n".utf8))
    defer { close(fd) }
    let reader = LineReader(
      fd: fd, options: LineReader.Options(maxLineBytes: 1000, blockSize: 4096))
    var lines: [Int] = []
    var overlong: [Int] = []
    try reader.forEachLine { line in
      lines.append(line.count)
      return true
    } overlong: { line in
      overlong.append(line.prefix.count)
      return true
    }
    #expect(lines == [2])
    #expect(overlong == [1001])
    #expect(reader.bytesRead == (3 << 20) + 4)
  }

  /// Stopping from either callback stops the reading.
  @Test func stopsWhenTheBodySaysSo() throws {
    let fd = temporaryDescriptor(Array("a\nbbbbbbbbbb\nc\n".utf8))
    defer { close(fd) }
    let reader = LineReader(fd: fd, options: LineReader.Options(maxLineBytes: 4, blockSize: 2))
    var seen: [String] = []
    try reader.forEachLine { line in
      seen.append(String(decoding: line, as: UTF8.self))
      return true
    } overlong: { _ in
      seen.append("!")
      return false
    }
    #expect(seen == ["a", "!"])
  }
}

/// A descriptor open for reading `bytes` (from an unlinked temporary file).
func temporaryDescriptor(_ bytes: [UInt8]) -> Int32 {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "winnow-\(UUID().uuidString)")
  _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
  let fd = open(url.path, O_RDONLY)
  try? FileManager.default.removeItem(at: url)
  return fd
}
