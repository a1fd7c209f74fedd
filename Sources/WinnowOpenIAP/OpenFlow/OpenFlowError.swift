/// A message the OpenFlow front-end cannot take: answered with an `error` reply carrying
/// `{"message": description}`; the connection stays open.
public struct OpenFlowError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The id of the offending message, when it had one (the error reply's `replyto`).
  public var messageID: String?
  /// What was wrong, one line.
  public var description: String

  /// Creates an error about the message `messageID`.
  public init(_ description: String, messageID: String? = nil) {
    self.description = description
    self.messageID = messageID
  }
}
