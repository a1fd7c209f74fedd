import SwiftProtobuf

/// Writes Envelopes to an OpenIAP byte stream.
///
/// It stamps `seq` (0, 1, 2 and so on, on this connection) and returns the 4-byte little-endian
/// length and the Envelope's bytes separately, so that a websocket sends them as two messages
/// (which every OpenIAP client reads) and TCP writes them back to back.
package struct OpenIAPStreamWriter: Sendable {
  /// The `seq` of the next Envelope written.
  package private(set) var nextSeq: Int32 = 0

  /// Creates a writer whose first Envelope gets `seq` 0.
  package init() {}

  /// Stamps the next `seq` on `envelope` and encodes it.
  package mutating func encode(_ envelope: Openiap_Envelope) -> (
    lengthPrefix: [UInt8], body: [UInt8]
  ) {
    var envelope = envelope
    envelope.seq = takeSeq()
    let body = Self.serialize(envelope)
    return (Self.lengthPrefix(body.count), body)
  }

  /// The `seq` for the next Envelope, which the caller encodes itself.
  package mutating func takeSeq() -> Int32 {
    let seq = nextSeq
    nextSeq = nextSeq == .max ? 0 : nextSeq + 1
    return seq
  }

  /// The 4-byte little-endian length prefix of a `count`-byte frame.
  package static func lengthPrefix(_ count: Int) -> [UInt8] {
    let length = UInt32(truncatingIfNeeded: count)
    return [
      UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
      UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24),
    ]
  }

  /// The Envelope's protobuf bytes.
  ///
  /// Every field of an Envelope built here is set from valid
  /// Swift values, so serializing cannot fail; a failure would be a bug in SwiftProtobuf.
  package static func serialize(_ envelope: Openiap_Envelope) -> [UInt8] {
    do {
      return try envelope.serializedBytes()
    } catch {
      preconditionFailure("an Envelope failed to serialize: \(error)")
    }
  }
}
