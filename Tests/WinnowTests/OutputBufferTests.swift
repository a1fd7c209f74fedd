import Foundation
import Testing

@testable import Winnow

/// `OutputBuffer` writes what it is given in order, whether copied or borrowed, and flushes at
/// the same points either way, so that a failed write stops its caller at the same line.
@Suite struct OutputBufferTests {
  /// One append.
  enum Step: Sendable {
    /// `append(_:terminator:)` of this many bytes and an LF.
    case line(Int)
    /// `appendBorrowed` of this many bytes of the source (the last an LF), right after the
    /// bytes the previous borrowed step took, or at a gap from them.
    case borrowed(Int, gap: Int)
    /// `append(_:)` of a text.
    case text(String)
    /// `stopBorrowing()`, after which the source's bytes so far are overwritten.
    case stopBorrowing
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let capacity: Int
    let steps: [Step]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "copies only", capacity: 64, steps: [.line(10), .line(50), .line(3), .text("n=2\n")]),
    Case(
      name: "contiguous borrowed lines", capacity: 4096,
      steps: [.borrowed(300, gap: 0), .borrowed(10, gap: 0), .borrowed(400, gap: 0)]),
    Case(
      name: "small borrowed runs are copied", capacity: 4096,
      steps: [
        .borrowed(20, gap: 0), .borrowed(30, gap: 5), .borrowed(300, gap: 7), .borrowed(8, gap: 1),
      ]),
    Case(
      name: "copies and borrows interleaved", capacity: 1000,
      steps: [
        .line(5), .borrowed(300, gap: 0), .line(7), .borrowed(256, gap: 3), .borrowed(4, gap: 0),
        .text("tail\n"), .borrowed(600, gap: 2), .line(900), .borrowed(2000, gap: 1), .line(0),
      ]),
    Case(
      name: "more parts than one writev takes", capacity: 1 << 20,
      steps: (0..<2500).flatMap { _ in [Step.borrowed(260, gap: 1), .line(1)] }),
    Case(
      name: "borrowing stopped midway", capacity: 2000,
      steps: [
        .line(3), .borrowed(300, gap: 0), .borrowed(20, gap: 0), .line(9), .borrowed(400, gap: 4),
        .stopBorrowing, .borrowed(300, gap: 1), .line(2), .stopBorrowing, .stopBorrowing,
        .borrowed(900, gap: 0), .borrowed(500, gap: 0), .line(1),
      ]),
    Case(name: "nothing borrowed to stop", capacity: 100, steps: [.line(10), .stopBorrowing]),
    Case(
      name: "longer than the buffer", capacity: 100,
      steps: [.borrowed(150, gap: 0), .line(120), .borrowed(99, gap: 0), .borrowed(2, gap: 0)]),
  ]

  /// The bytes each step appends, from a source long enough for every borrowed step.
  static func run(_ c: Case, fd: Int32, borrowing: Bool) -> (expected: [UInt8], failedAt: Int?) {
    let source = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4 << 20)
    defer { source.deallocate() }
    for i in source.indices { source[i] = UInt8(0x41 + i % 26) }
    let output = OutputBuffer(fd: fd, capacity: c.capacity)
    var expected: [UInt8] = []
    var offset = 0
    var failedAt: Int?
    for (index, step) in c.steps.enumerated() {
      switch step {
      case .line(let n):
        let line = Array(repeating: UInt8(ascii: "l"), count: n)
        line.withUnsafeBufferPointer { output.append($0, terminator: 0x0A) }
        expected += line + [0x0A]
      case .borrowed(let n, let gap):
        offset += gap
        source[offset + n - 1] = 0x0A
        let bytes = UnsafeBufferPointer(rebasing: source[offset..<offset + n])
        if borrowing {
          output.appendBorrowed(bytes)
        } else {
          output.append(UnsafeBufferPointer(rebasing: bytes.dropLast()), terminator: 0x0A)
        }
        expected += bytes
        offset += n
      case .text(let text):
        output.append(text)
        expected += Array(text.utf8)
      case .stopBorrowing:
        output.stopBorrowing()
        #expect(output.firstBorrowedByte == nil)
        for i in 0..<offset { source[i] = UInt8(ascii: "#") }
      }
      if output.failed && failedAt == nil { failedAt = index }
    }
    output.flush()
    if output.failed && failedAt == nil { failedAt = c.steps.count }
    return (expected, failedAt)
  }

  @Test(arguments: cases)
  func writesEverythingInOrder(c: Case) throws {
    let fd = try NDJSONParallelTests.open([])
    defer { close(fd) }
    let (expected, failedAt) = Self.run(c, fd: fd, borrowing: true)
    #expect(failedAt == nil)
    let written = NDJSONParallelTests.contents(fd)
    #expect(written.count == expected.count)
    #expect(written == expected)
  }

  /// Into a pipe nobody reads, the first write fails: borrowing or copying, at the same step.
  @Test(arguments: cases)
  func failsAtTheSameStepAsCopying(c: Case) {
    signal(SIGPIPE, SIG_IGN)
    var failures: [Int?] = []
    for borrowing in [false, true] {
      let pipe = NDJSONParallelTests.makePipe()
      close(pipe.read)
      failures.append(Self.run(c, fd: pipe.write, borrowing: borrowing).failedAt)
      close(pipe.write)
    }
    #expect(failures[0] != nil)
    #expect(failures[0] == failures[1])
  }

  #if os(Linux)
    /// A pipe written in large blocks gets a buffer as large as they are (at most 1 MiB, and
    /// not past the system's maximum); a small output buffer leaves the pipe as it was.
    @Test func enlargesAPipeToItsCapacity() throws {
      let text = try String(contentsOfFile: "/proc/sys/fs/pipe-max-size", encoding: .utf8)
      let maximum = try #require(Int(text.filter(\.isNumber)))
      for capacity in [1 << 20, 4096] {
        let pipe = NDJSONParallelTests.makePipe()
        defer {
          close(pipe.read)
          close(pipe.write)
        }
        let before = Int(fcntl(pipe.write, OutputBuffer.getPipeSize))
        _ = OutputBuffer(fd: pipe.write, capacity: capacity)
        let after = Int(fcntl(pipe.write, OutputBuffer.getPipeSize))
        let expected = capacity > 1 << 16 ? max(before, min(1 << 20, maximum)) : before
        #expect(after == expected, "capacity \(capacity), before \(before)")
      }
    }
  #endif

  /// Borrowed bytes of a mapped file that shrank before the flush cannot be read: they are
  /// skipped, the bytes before them written, and the output has not failed (the reader of the
  /// file reports the truncation).
  @Test func skipsBorrowedBytesThatVanished() throws {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let file = try NDJSONParallelTests.open(Array(repeating: UInt8(ascii: "a"), count: 3 * page))
    defer { close(file) }
    let mapping = try #require(mmap(nil, 3 * page, PROT_READ, MAP_PRIVATE, file, 0))
    #expect(mapping != MAP_FAILED)
    defer { munmap(mapping, 3 * page) }
    let bytes = mapping.assumingMemoryBound(to: UInt8.self)
    let sink = try NDJSONParallelTests.open([])
    defer { close(sink) }
    let output = OutputBuffer(fd: sink, capacity: 4 * page)
    output.appendBorrowed(UnsafeBufferPointer(start: bytes, count: 300))
    output.append(UnsafeBufferPointer(start: bytes, count: 0), terminator: 0x0A)
    output.appendBorrowed(UnsafeBufferPointer(start: bytes + 2 * page, count: 300))
    output.append(UnsafeBufferPointer(start: bytes, count: 0), terminator: 0x0A)
    #expect(ftruncate(file, off_t(page)) == 0)
    output.flush()
    #expect(!output.failed)
    let expected = Array(repeating: UInt8(ascii: "a"), count: 300) + [0x0A, 0x0A]
    #expect(NDJSONParallelTests.contents(sink) == expected)
  }

  /// The first borrowed byte is known until the flush that writes it.
  @Test func tracksTheFirstBorrowedByte() throws {
    let fd = try NDJSONParallelTests.open([])
    defer { close(fd) }
    let output = OutputBuffer(fd: fd, capacity: 4096)
    let source = [UInt8](repeating: 0x61, count: 1000)
    try source.withUnsafeBufferPointer { source in
      output.appendBorrowed(UnsafeBufferPointer(rebasing: source[0..<10]))
      #expect(output.firstBorrowedByte == nil, "a short run is copied")
      output.appendBorrowed(UnsafeBufferPointer(rebasing: source[100..<400]))
      let first = try #require(output.firstBorrowedByte)
      #expect(first == UnsafeRawPointer(source.baseAddress! + 100))
      output.appendBorrowed(UnsafeBufferPointer(rebasing: source[500..<900]))
      #expect(output.firstBorrowedByte == first)
      output.flush()
      #expect(output.firstBorrowedByte == nil)
    }
    #expect(NDJSONParallelTests.contents(fd).count == 10 + 300 + 400)
  }
}
