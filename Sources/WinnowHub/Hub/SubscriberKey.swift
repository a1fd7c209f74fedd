/// One subscriber in the hub's registry: a connection, and which of its subscribers.
///
/// A DRP websocket connection is one subscriber (stream 0), so an event reaches it at most once
/// however many of its registrations match. A front-end with several independent subscriptions
/// per connection (an OpenIAP watch) uses one stream per subscription, and an event reaches
/// each of them once.
public struct SubscriberKey: Hashable, Sendable, CustomStringConvertible {
  /// The connection's id (``HubConnection/id``).
  public let connection: UInt64
  /// The subscriber within the connection.
  public let stream: UInt32

  /// The key of subscriber `stream` of connection `connection`.
  public init(connection: UInt64, stream: UInt32 = 0) {
    self.connection = connection
    self.stream = stream
  }

  /// `CONNECTION/STREAM`, for logs.
  public var description: String { "\(connection)/\(stream)" }
}
