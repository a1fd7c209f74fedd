import Synchronization
import WinnowOpenIAP

/// Where one OpenIAP connection's Envelopes are written, in order, by one task at a time.
protocol EnvelopeSink: Sendable {
  func send(_ envelope: Openiap_Envelope) async throws
  /// Sends the `watchevent` of one event for one watch (the delivery hot path).
  func sendWatchEvent(watchID: String, action: String, json: [UInt8]) async throws
}

extension EnvelopeSink {
  func sendWatchEvent(watchID: String, action: String, json: [UInt8]) async throws {
    try await send(OpenIAPWatchEvent.envelope(watchID: watchID, action: action, json: json))
  }
}

/// A sink over a length-prefixed byte stream (websocket `/ws/v2`, TCP).
///
/// It stamps `seq` 0, 1, 2 and so on, and hands the length and the Envelope to `write` as two
/// pieces (two websocket messages, or two writes on a socket).
final class ByteStreamEnvelopeSink: EnvelopeSink {
  private let writer = Mutex(OpenIAPStreamWriter())
  let write: @Sendable (_ lengthPrefix: [UInt8], _ body: [UInt8]) async throws -> Void

  init(write: @escaping @Sendable (_ lengthPrefix: [UInt8], _ body: [UInt8]) async throws -> Void) {
    self.write = write
  }

  func send(_ envelope: Openiap_Envelope) async throws {
    let (prefix, body) = writer.withLock { $0.encode(envelope) }
    try await write(prefix, body)
  }

  /// Encodes the Envelope by hand (``WatchEventEncoder``), with the next `seq`.
  func sendWatchEvent(watchID: String, action: String, json: [UInt8]) async throws {
    let seq = writer.withLock { $0.takeSeq() }
    let body = WatchEventEncoder.envelope(
      seq: seq, id: MessageIDGenerator.next(), watchID: watchID, action: action, json: json)
    try await write(OpenIAPStreamWriter.lengthPrefix(body.count), body)
  }
}
