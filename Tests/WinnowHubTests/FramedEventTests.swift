import NIOCore
import Testing

@testable import WinnowHub

@Suite struct FramedEventTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let length: Int
    /// The frame header RFC 6455 gives a final text frame of `length` bytes.
    let header: [UInt8]
    var testDescription: String { "\(length) bytes" }
  }

  @Test(arguments: [
    Case(length: 0, header: [0x81, 0]),
    Case(length: 125, header: [0x81, 125]),
    Case(length: 126, header: [0x81, 126, 0, 126]),
    Case(length: 65535, header: [0x81, 126, 0xFF, 0xFF]),
    Case(length: 65536, header: [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]),
    Case(length: 200_001, header: [0x81, 127, 0, 0, 0, 0, 0, 0x03, 0x0D, 0x41]),
  ])
  func framesOnceAndReadsAsTheEvent(_ c: Case) throws {
    let event = ByteBuffer(repeating: UInt8(ascii: "x"), count: c.length)
    let framed = FramedEvent.framing(event)
    #expect(framed == event)
    let frame = try #require(FramedEvent.wholeFrame(of: framed))
    #expect(Array(frame.readableBytesView.prefix(c.header.count)) == c.header)
    #expect(frame.readableBytes == c.header.count + c.length)
    #expect(frame.getSlice(at: frame.readerIndex + c.header.count, length: c.length) == event)
  }

  @Test func anEventNotFramedByTheHubHasNoFrame() {
    let body = ByteBuffer(string: "\u{81}\u{3}abc\nxyz")
    let cases: [ByteBuffer] = [
      ByteBuffer(string: "abc"),
      // Reader index 2, as a framed 3-byte event would have, but no header before it.
      {
        var b = ByteBuffer(string: "..abc")
        b.moveReaderIndex(forwardBy: 2)
        return b
      }(),
      body.getSlice(at: 2, length: 3)!,
    ]
    for event in cases { #expect(FramedEvent.wholeFrame(of: event) == nil) }
  }
}
