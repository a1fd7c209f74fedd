/// Counters of a client since it was created.
public struct NATSClientStatistics: Hashable, Sendable {
  /// Messages published.
  public var messagesPublished = 0
  /// Payload and header bytes published.
  public var bytesPublished = 0
  /// Messages received on the client's subscriptions.
  public var messagesReceived = 0
  /// Payload and header bytes received.
  public var bytesReceived = 0
  /// Publishes refused because the pending buffer was full.
  public var publishesDropped = 0
  /// Messages dropped because a subscription's buffer was full (slow consumer).
  public var messagesDropped = 0
  /// Connections established after the first one.
  public var reconnects = 0
  /// Connections lost (not counting ``NATSClient/close()``).
  public var disconnects = 0
  /// `-ERR` lines received.
  public var serverErrors = 0
  /// Connections closed because the server's bytes were not the protocol.
  public var protocolErrors = 0
}

/// A change of the client's connection, in the order they happen.
public enum NATSConnectionEvent: Hashable, Sendable {
  /// Connected (the first time or again) to the server at the address; subscriptions are in
  /// place and pending publishes written.
  case connected(NATSServerAddress, serverID: String)
  /// The connection was lost; the client is trying the servers again.
  case disconnected(reason: String)
  /// Gave up reconnecting, or ``NATSClient/close()`` was called.
  case closed
}
