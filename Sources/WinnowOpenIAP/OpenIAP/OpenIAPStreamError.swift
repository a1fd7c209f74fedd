/// Why an OpenIAP byte stream (websocket or TCP) is closed: each error ends that connection only.
package enum OpenIAPStreamError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A length prefix above the frame limit.
  case frameTooLarge(length: UInt32, limit: Int)
  /// Bytes that are not an Envelope; `detail` says what the decoder found.
  case malformedEnvelope(detail: String)
  /// An Envelope whose `seq` is below the next expected one (a repeat or a step back).
  case sequenceBelowExpected(seq: Int32, expected: Int32)
  /// Two held Envelopes with the same `seq`.
  case sequenceRepeated(seq: Int32)
  /// More Envelopes held waiting for a missing `seq` than the limit allows.
  case tooManyHeld(limit: Int, expected: Int32)

  package var description: String {
    switch self {
    case .frameTooLarge(let length, let limit):
      return "frame of \(length) bytes exceeds the limit of \(limit) bytes"
    case .malformedEnvelope(let detail):
      return "malformed Envelope: \(detail)"
    case .sequenceBelowExpected(let seq, let expected):
      return "seq \(seq) is below the next expected seq \(expected)"
    case .sequenceRepeated(let seq):
      return "seq \(seq) was received twice"
    case .tooManyHeld(let limit, let expected):
      return "more than \(limit) Envelopes held while waiting for seq \(expected)"
    }
  }
}
