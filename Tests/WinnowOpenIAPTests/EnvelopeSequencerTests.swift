import Testing

@testable import WinnowOpenIAP

/// The `seq` values a client sends, and what the sequencer must release or refuse.
struct SequenceCase: Sendable, CustomTestStringConvertible {
  let name: String
  let sent: [Int32]
  let holdLimit: Int
  /// The seqs released, in order.
  let processed: [Int32]
  let error: OpenIAPStreamError?
  var testDescription: String { name }

  init(
    _ name: String, _ sent: [Int32], holdLimit: Int = 100, processed: [Int32],
    error: OpenIAPStreamError? = nil
  ) {
    self.name = name
    self.sent = sent
    self.holdLimit = holdLimit
    self.processed = processed
    self.error = error
  }
}

@Suite struct EnvelopeSequencerTests {
  static let cases: [SequenceCase] = [
    SequenceCase("in order from 0", [0, 1, 2, 3], processed: [0, 1, 2, 3]),
    SequenceCase("one held, released when the gap fills", [1, 0, 2], processed: [0, 1, 2]),
    SequenceCase(
      "held in reverse order, released in order", [3, 2, 1, 0], processed: [0, 1, 2, 3]),
    SequenceCase("a gap that never fills holds", [0, 2, 3], processed: [0]),
    SequenceCase(
      "a repeated seq closes", [0, 1, 1], processed: [0, 1],
      error: .sequenceBelowExpected(seq: 1, expected: 2)),
    SequenceCase(
      "a seq below the expected one closes", [0, 1, 2, 0], processed: [0, 1, 2],
      error: .sequenceBelowExpected(seq: 0, expected: 3)),
    SequenceCase(
      "a client starting at 1 stalls, then a repeat closes", [1, 1], processed: [],
      error: .sequenceRepeated(seq: 1)),
    SequenceCase(
      "a negative seq closes", [-1], processed: [],
      error: .sequenceBelowExpected(seq: -1, expected: 0)),
    SequenceCase("exactly the hold limit is held", [1, 2, 3], holdLimit: 3, processed: []),
    SequenceCase(
      "the hold limit, then the gap fills", [1, 2, 3, 0], holdLimit: 3, processed: [0, 1, 2, 3]),
    SequenceCase(
      "one past the hold limit closes", [1, 2, 3, 4], holdLimit: 3, processed: [],
      error: .tooManyHeld(limit: 3, expected: 0)),
    SequenceCase(
      "the default limit: 100 held is fine", Array(1...100), processed: []),
    SequenceCase(
      "the default limit: 101 held closes", Array(1...101), processed: [],
      error: .tooManyHeld(limit: 100, expected: 0)),
    SequenceCase("100 held then released", Array(1...100) + [0], processed: Array(0...100)),
  ]

  @Test(arguments: cases)
  func sequences(_ c: SequenceCase) {
    var sequencer = EnvelopeSequencer(holdLimit: c.holdLimit)
    var ready: [Openiap_Envelope] = []
    var failure: OpenIAPStreamError?
    for seq in c.sent {
      do {
        try sequencer.accept(Wire.envelope("ping", seq: seq), into: &ready)
      } catch {
        failure = error
        break
      }
    }
    #expect(ready.map(\.seq) == c.processed)
    #expect(failure == c.error)
  }
}

/// The reader: frames, Envelopes and seq together, across arbitrary read boundaries.
@Suite struct OpenIAPStreamReaderTests {
  static func stream(_ seqs: [Int32]) -> [UInt8] {
    seqs.flatMap { Wire.framed(Wire.envelope("ping", seq: $0, id: "m\($0)")) }
  }

  @Test(arguments: [1, 2, 3, 5, 7, 64, 4096])
  func readsOutOfOrderEnvelopesInPiecesOf(_ size: Int) throws {
    let bytes = Self.stream([0, 2, 1, 3])
    var reader = OpenIAPStreamReader()
    var ids: [String] = []
    var i = 0
    while i < bytes.count {
      reader.append(bytes[i..<min(i + size, bytes.count)])
      while let envelope = try reader.next() { ids.append(envelope.id) }
      i += size
    }
    #expect(ids == ["m0", "m1", "m2", "m3"])
  }

  @Test func malformedEnvelopeCloses() {
    var reader = OpenIAPStreamReader()
    // Field 1 (command) says 16 bytes of string follow, but the frame ends after 2.
    reader.append([4, 0, 0, 0, 0x0A, 0x10, 0x61, 0x62])
    #expect(throws: OpenIAPStreamError.self) { try reader.next() }
  }

  @Test func repeatedSeqClosesAfterTheFirstIsProcessed() throws {
    var reader = OpenIAPStreamReader()
    reader.append(Self.stream([0, 0]))
    #expect(try reader.next()?.id == "m0")
    #expect(throws: OpenIAPStreamError.sequenceBelowExpected(seq: 0, expected: 1)) {
      try reader.next()
    }
  }

  @Test func writerStampsSeqFromZeroAndSplitsLengthFromBody() throws {
    var writer = OpenIAPStreamWriter()
    var reader = OpenIAPStreamReader()
    for n in 0..<3 {
      let (prefix, body) = writer.encode(Wire.envelope("pong", seq: 99, id: "r\(n)"))
      #expect(prefix.count == 4)
      #expect(prefix == OpenIAPStreamWriter.lengthPrefix(body.count))
      reader.append(prefix)
      #expect(try reader.next() == nil)
      reader.append(body)
      let envelope = try #require(try reader.next())
      #expect(envelope.seq == Int32(n))
      #expect(envelope.id == "r\(n)")
    }
  }
}
