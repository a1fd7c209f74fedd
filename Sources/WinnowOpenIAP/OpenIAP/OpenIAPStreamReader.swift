import SwiftProtobuf

/// Reads Envelopes from an OpenIAP byte stream (websocket `/ws/v2` or TCP): length-prefixed
/// frames, parsed as Envelopes and released in `seq` order.
///
/// Any error (a frame above the limit, bytes that are not an Envelope, a `seq` out of the
/// rules) is final: the transport closes the connection and reads no further.
package struct OpenIAPStreamReader: Sendable {
  private var frames: LengthPrefixedFrameDecoder
  private var sequencer: EnvelopeSequencer
  /// Envelopes released by the sequencer and not yet returned, in order.
  private var ready: [Openiap_Envelope] = []
  private var readyIndex = 0

  /// Creates a reader with the given frame limit and hold limit.
  package init(
    frameLimit: Int = LengthPrefixedFrameDecoder.defaultFrameLimit, holdLimit: Int = 100
  ) {
    frames = LengthPrefixedFrameDecoder(frameLimit: frameLimit)
    sequencer = EnvelopeSequencer(holdLimit: holdLimit)
  }

  /// Adds received bytes (one websocket message or one socket read).
  package mutating func append(_ bytes: some Collection<UInt8>) {
    frames.append(bytes)
  }

  /// The next Envelope to process, or nil when more bytes are needed.
  package mutating func next() throws(OpenIAPStreamError) -> Openiap_Envelope? {
    while true {
      if readyIndex < ready.count {
        let envelope = ready[readyIndex]
        readyIndex += 1
        if readyIndex == ready.count {
          ready.removeAll(keepingCapacity: true)
          readyIndex = 0
        }
        return envelope
      }
      guard let frame = try frames.nextFrame() else { return nil }
      try sequencer.accept(try Self.envelope(from: frame), into: &ready)
    }
  }

  /// Parses one frame as an Envelope.
  static func envelope(from frame: ArraySlice<UInt8>) throws(OpenIAPStreamError)
    -> Openiap_Envelope
  {
    do {
      return try Openiap_Envelope(serializedBytes: Array(frame))
    } catch {
      throw .malformedEnvelope(detail: "\(error)")
    }
  }
}
