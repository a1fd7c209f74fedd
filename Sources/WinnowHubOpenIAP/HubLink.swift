import Synchronization
import WinnowHub
import WinnowOpenIAP

/// A front-end client's link to the hub: no hub connection until the client signs in, then one,
/// until the link closes.
///
/// The OpenIAP and OpenFlow connections each hold one; their reader opens it, their writer waits
/// for it, and whichever ends first closes it.
final class HubLink: Sendable {
  private let context: FrontEndContext
  private let remoteAddress: String
  private let frontEnd: String
  private let state = Mutex(State())
  /// Signalled once: with the connection when it opens, or nil when the link closes first.
  private let opened: AsyncStream<HubConnection?>
  private let openedContinuation: AsyncStream<HubConnection?>.Continuation

  private struct State {
    var connection: HubConnection?
    var closed = false
  }

  /// A closed-until-signed-in link for the client at `remoteAddress`, on the front-end named
  /// `frontEnd` (as `/api/v3/connections` lists it).
  init(context: FrontEndContext, remoteAddress: String, frontEnd: String) {
    self.context = context
    self.remoteAddress = remoteAddress
    self.frontEnd = frontEnd
    (opened, openedContinuation) = AsyncStream.makeStream(of: HubConnection?.self)
  }

  /// The hub connection, opened for `user` on the first call after sign-in; nil before sign-in,
  /// after the link closed, or when the user's credential is no longer valid.
  func connection(signedInAs user: SignedInUser?) -> HubConnection? {
    let (connection, isNew) = state.withLock { state -> (HubConnection?, Bool) in
      if state.connection == nil, !state.closed, let user,
        let credential = context.credential(of: user)
      {
        state.connection = context.hub.connect(
          credential: credential, remoteAddress: remoteAddress, frontEnd: frontEnd)
        return (state.connection, true)
      }
      return (state.connection, false)
    }
    if isNew { openedContinuation.yield(connection) }
    return connection
  }

  /// Waits for the hub connection; nil when the link closes before the client signs in.
  func awaitConnection() async -> HubConnection? {
    var iterator = opened.makeAsyncIterator()
    return await iterator.next() ?? nil
  }

  /// Leaves the hub (dropping the client's registrations) and wakes a waiting writer.
  func close(reason: CloseReason = .clientClosed) {
    let connection = state.withLock { state -> HubConnection? in
      state.closed = true
      return state.connection
    }
    if let connection { context.hub.disconnect(connection, reason: reason) }
    openedContinuation.yield(nil)
    openedContinuation.finish()
  }
}
