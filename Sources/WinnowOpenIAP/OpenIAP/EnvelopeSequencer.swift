/// Puts incoming Envelopes in `seq` order (SPEC section 10; websocket and TCP only).
///
/// `seq` starts at 0 and grows by one per Envelope. An Envelope below the next expected `seq`
/// is an error (the connection closes); one above it is held until the ones before it arrive,
/// and more than `holdLimit` held Envelopes is an error.
package struct EnvelopeSequencer: Sendable {
  /// The most Envelopes held while waiting for a missing one (OpenIAP's own limit is 100).
  package let holdLimit: Int
  /// The `seq` the next processed Envelope must carry.
  package private(set) var expected: Int32 = 0
  private var held: [Int32: Openiap_Envelope] = [:]

  /// Creates a sequencer expecting `seq` 0 first.
  package init(holdLimit: Int = 100) {
    self.holdLimit = holdLimit
  }

  /// The number of Envelopes held for a missing `seq`.
  package var heldCount: Int { held.count }

  /// Accepts `envelope` and appends to `ready` every Envelope that can now be processed, in
  /// order.
  package mutating func accept(_ envelope: Openiap_Envelope, into ready: inout [Openiap_Envelope])
    throws(OpenIAPStreamError)
  {
    let seq = envelope.seq
    guard seq >= expected else { throw .sequenceBelowExpected(seq: seq, expected: expected) }
    if seq > expected {
      guard held[seq] == nil else { throw .sequenceRepeated(seq: seq) }
      guard held.count < holdLimit else { throw .tooManyHeld(limit: holdLimit, expected: expected) }
      held[seq] = envelope
      return
    }
    ready.append(envelope)
    advance()
    while let next = held.removeValue(forKey: expected) {
      ready.append(next)
      advance()
    }
  }

  /// Moves past the processed `seq`; a peer that wraps `Int32` starts at its minimum again.
  private mutating func advance() {
    expected = expected == .max ? .min : expected + 1
  }
}
