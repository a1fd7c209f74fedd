/// A client connected to the hub through a front-end: who it is and its delivery queue.
///
/// The hub fills ``queue`` with the events the connection's subscribers match (and with the
/// front-end's acknowledgements, in order); the front-end's writer drains it onto the wire.
public final class HubConnection: Sendable {
  /// Unique for the hub's lifetime.
  public let id: UInt64
  /// The credential the client presented.
  public let credential: Credential
  /// The client's address, `HOST:PORT`.
  public let remoteAddress: String
  /// When the connection was opened.
  public let createTime: Timestamp
  /// Which front-end it came through (`websocket` for DRP's API, or another protocol's name).
  public let frontEnd: String
  /// What the connection's writer sends.
  public let queue: DeliveryQueue
  /// Whether the credential restricts what the client sees (read once per delivery).
  let isRestricted: Bool

  init(
    id: UInt64, credential: Credential, remoteAddress: String, createTime: Timestamp,
    frontEnd: String, queueCapacity: Int
  ) {
    self.id = id
    self.credential = credential
    self.remoteAddress = remoteAddress
    self.createTime = createTime
    self.frontEnd = frontEnd
    queue = DeliveryQueue(capacity: queueCapacity)
    isRestricted = credential.isRestricted
  }

  /// The principal, from the credential.
  public var principal: String { credential.principal }

  /// The registry key of the connection's subscriber `stream`.
  public func key(stream: UInt32 = 0) -> SubscriberKey {
    SubscriberKey(connection: id, stream: stream)
  }
}

/// What `GET /api/v3/connections` shows of a connection.
public struct ConnectionSummary: Sendable, Equatable {
  /// The connection's id (``HubConnection/id``).
  public let id: UInt64
  /// The client's address, `HOST:PORT`.
  public let remoteAddress: String
  /// The principal of the credential presented.
  public let principal: String
  /// When the connection was opened.
  public let createTime: Timestamp
  /// The front-end it came through (`websocket` for DRP's API).
  public let frontEnd: String
  /// The canonical specifiers registered on the connection, sorted.
  public let registrations: [String]
}
