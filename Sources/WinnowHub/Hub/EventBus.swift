import NIOCore
import Winnow

/// Carries accepted events to every hub that delivers them.
///
/// The hub hands every event it accepts (from `POST /api/v3/events`, `--events`, an upstream,
/// its own connection events) to ``publish(_:)``. The bus brings each event back to every hub
/// on it, this one included, by calling the `deliver` function given to ``start(deliver:)``;
/// a hub delivers to its clients exactly what comes back. ``LocalEventBus`` brings events
/// straight back; a bus between hubs (NATS) publishes them to the others and delivers what it
/// receives.
///
/// The hub tells the bus which `type.action.key` selectors its clients hold, so a bus can
/// subscribe to no more than the events someone wants.
///
/// Calls come from any thread. `publish` and `interestChanged` must not block and must not call
/// back into the hub before returning (the hub may hold its lock); queue work instead.
public protocol EventBus: Sendable {
  /// Starts the bus; from then on it calls `deliver` with each event, in the bus's order.
  func start(deliver: @escaping @Sendable (ByteBuffer) -> Void)
  /// Carries `event` (one valid event's JSON) to every hub.
  func publish(_ event: ByteBuffer)
  /// A selector gained its first registration on this hub (`added`) or lost its last.
  func interestChanged(_ change: InterestChange)
}

/// A change in the selectors (`type.action.key` parts of registered specifiers) a hub's
/// clients hold.
public struct InterestChange: Sendable, Equatable {
  /// The selector, `type.action.key` as written in the specifier (escapes kept).
  public let selector: String
  /// True when the selector gained its first registration, false when it lost its last.
  public let added: Bool

  /// A change of `selector`: gained its first registration (`added`) or lost its last.
  public init(selector: String, added: Bool) {
    self.selector = selector
    self.added = added
  }
}

/// The bus of a hub on its own: every published event is delivered at once, on the
/// publisher's thread.
public final class LocalEventBus: EventBus, @unchecked Sendable {
  // Written once by `start` before any event is published.
  private var deliver: (@Sendable (ByteBuffer) -> Void)?

  /// A bus not started yet; the hub starts it.
  public init() {}

  /// Keeps `deliver`, which ``publish(_:)`` then calls with each event.
  public func start(deliver: @escaping @Sendable (ByteBuffer) -> Void) {
    self.deliver = deliver
  }

  /// Delivers `event` at once, on the caller's thread.
  public func publish(_ event: ByteBuffer) {
    deliver?(event)
  }

  /// Does nothing: a hub on its own needs no interest.
  public func interestChanged(_ change: InterestChange) {}
}
