/// What a protocol session asks its transport to do after handling one request, in order.
///
/// A `watch` is registered before its reply is sent, so that every event published after the
/// client has its reply is delivered.
public enum SessionAction<Message: Sendable>: Sendable {
  /// Send a message to the client.
  case send(Message)
  /// Register the watch `id` (one subscriber of the hub's registry) with its specifiers.
  case watch(id: String, WatchRequest)
  /// Remove every registration of the watch `id`.
  case unwatch(id: String)
}
