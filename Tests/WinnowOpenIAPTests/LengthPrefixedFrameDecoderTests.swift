import Testing

@testable import WinnowOpenIAP

/// A byte stream fed to the decoder in pieces, and what must come out.
struct FrameStreamCase: Sendable, CustomTestStringConvertible {
  let name: String
  let pieces: [[UInt8]]
  let limit: Int
  /// The frames returned, in order.
  let frames: [[UInt8]]
  /// The error that ends the stream, if any.
  let error: OpenIAPStreamError?
  var testDescription: String { name }

  init(
    _ name: String, _ pieces: [[UInt8]], limit: Int = 64 << 20, frames: [[UInt8]],
    error: OpenIAPStreamError? = nil
  ) {
    self.name = name
    self.pieces = pieces
    self.limit = limit
    self.frames = frames
    self.error = error
  }
}

@Suite struct LengthPrefixedFrameDecoderTests {
  static let abc: [UInt8] = [3, 0, 0, 0, 0x61, 0x62, 0x63]

  static let cases: [FrameStreamCase] = [
    FrameStreamCase("one frame in one piece", [abc], frames: [[0x61, 0x62, 0x63]]),
    FrameStreamCase(
      "length and body as two pieces", [[3, 0, 0, 0], [0x61, 0x62, 0x63]],
      frames: [[0x61, 0x62, 0x63]]),
    FrameStreamCase(
      "length split over several pieces", [[3], [0, 0], [0, 0x61], [0x62, 0x63]],
      frames: [[0x61, 0x62, 0x63]]),
    FrameStreamCase(
      "two frames in one piece", [abc + [1, 0, 0, 0, 0x7A]], frames: [[0x61, 0x62, 0x63], [0x7A]]),
    FrameStreamCase(
      "a zero length is skipped", [[0, 0, 0, 0] + abc], frames: [[0x61, 0x62, 0x63]]),
    FrameStreamCase("an incomplete body waits", [[3, 0, 0, 0, 0x61]], frames: []),
    FrameStreamCase(
      "little-endian: 0x0100 is 256 bytes", [[0, 1, 0, 0] + Array(repeating: 7, count: 256)],
      frames: [Array(repeating: 7, count: 256)]),
    FrameStreamCase(
      "a length at the limit is accepted", [[4, 0, 0, 0, 1, 2, 3, 4]], limit: 4,
      frames: [[1, 2, 3, 4]]),
    FrameStreamCase(
      "a length one past the limit fails before its body", [[5, 0, 0, 0]], limit: 4, frames: [],
      error: .frameTooLarge(length: 5, limit: 4)),
    FrameStreamCase(
      "a length far past the default limit fails", [[0xFF, 0xFF, 0xFF, 0xFF]], frames: [],
      error: .frameTooLarge(length: 0xFFFF_FFFF, limit: 64 << 20)),
    FrameStreamCase(
      "the default limit: 64 MiB + 1 fails", [[1, 0, 0, 4]], frames: [],
      error: .frameTooLarge(length: 64 << 20 + 1, limit: 64 << 20)),
    FrameStreamCase(
      "frames before an oversized one are returned", [abc + [9, 0, 0, 0]], limit: 8,
      frames: [[0x61, 0x62, 0x63]], error: .frameTooLarge(length: 9, limit: 8)),
  ]

  @Test(arguments: cases)
  func decodes(_ c: FrameStreamCase) {
    var decoder = LengthPrefixedFrameDecoder(frameLimit: c.limit)
    var frames: [[UInt8]] = []
    var failure: OpenIAPStreamError?
    outer: for piece in c.pieces {
      decoder.append(piece)
      do {
        while let frame = try decoder.nextFrame() { frames.append(Array(frame)) }
      } catch {
        failure = error
        break outer
      }
    }
    #expect(frames == c.frames)
    #expect(failure == c.error)
  }

  /// Every way of cutting a stream of three frames into two or three reads gives the same frames.
  @Test func everySplitPointGivesTheSameFrames() throws {
    let stream = Self.abc + [0, 0, 0, 0] + [2, 0, 0, 0, 0x78, 0x79] + Self.abc
    let expected: [[UInt8]] = [[0x61, 0x62, 0x63], [0x78, 0x79], [0x61, 0x62, 0x63]]
    for i in 0...stream.count {
      for j in i...stream.count {
        var decoder = LengthPrefixedFrameDecoder()
        var frames: [[UInt8]] = []
        for piece in [stream[..<i], stream[i..<j], stream[j...]] {
          decoder.append(piece)
          while let frame = try decoder.nextFrame() { frames.append(Array(frame)) }
        }
        #expect(frames == expected, "split at \(i), \(j)")
        #expect(decoder.bufferedByteCount == 0)
      }
    }
  }

  /// A long-lived stream does not keep the bytes it has returned.
  @Test func consumedBytesAreReleased() throws {
    var decoder = LengthPrefixedFrameDecoder()
    for _ in 0..<10_000 {
      decoder.append(Self.abc)
      _ = try decoder.nextFrame()
    }
    decoder.append([3, 0])
    #expect(try decoder.nextFrame() == nil)
    #expect(decoder.bufferedByteCount == 2)
  }
}
