import NIOConcurrencyHelpers

/// A subscription whose messages are read as an async sequence.
///
/// It holds at most ``NATSClientConfiguration/subscriptionBufferLimit`` messages that the consumer
/// has not taken; while it is full, newer messages are dropped and counted in
/// ``droppedMessageCount`` (a slow consumer never makes the connection or other subscriptions
/// wait). The sequence ends after ``unsubscribe()`` or ``NATSClient/close()``.
public final class NATSSubscription: AsyncSequence, Sendable {
  /// The messages delivered to the subscription.
  public typealias Element = NATSMessage

  /// The subscription id on the connection.
  public let sid: UInt64
  /// The subject subscribed to (may hold wildcards).
  public let subject: String
  /// The queue group, if the subscription is in one.
  public let queueGroup: String?
  private let client: NATSClient
  private let stream: AsyncStream<NATSMessage>
  let continuation: AsyncStream<NATSMessage>.Continuation
  private let dropped = NIOLockedValueBox(0)

  init(sid: UInt64, subject: String, queueGroup: String?, bufferLimit: Int, client: NATSClient) {
    self.sid = sid
    self.subject = subject
    self.queueGroup = queueGroup
    self.client = client
    (stream, continuation) = AsyncStream.makeStream(
      of: NATSMessage.self, bufferingPolicy: .bufferingOldest(Swift.max(bufferLimit, 1)))
  }

  /// Messages dropped because the buffer was full.
  public var droppedMessageCount: Int { dropped.withLockedValue { $0 } }

  /// Stops the subscription on the server and ends the sequence (after what it holds).
  public func unsubscribe() {
    client.unsubscribe(sid)
  }

  /// An iterator over the messages, in the order they arrived.
  public func makeAsyncIterator() -> AsyncStream<NATSMessage>.Iterator {
    stream.makeAsyncIterator()
  }

  /// Offers a message to the buffer; false when it was dropped.
  func offer(_ message: NATSMessage) -> Bool {
    switch continuation.yield(message) {
    case .enqueued, .terminated: return true
    case .dropped:
      dropped.withLockedValue { $0 += 1 }
      return false
    @unknown default: return true
    }
  }
}
