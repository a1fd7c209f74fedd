import NIOCore
import Winnow
import WinnowHub

/// The hub's bus seam on NATS: `winnow serve --nats` builds an ``NATSEventBus``, connects it and
/// hands it to the `EventHub`.
extension NATSEventBus: EventBus {
  /// Keeps `deliver`, called with each event NATS brings, once, in the order it arrives.
  public func start(deliver: @escaping @Sendable (ByteBuffer) -> Void) {
    setDeliver(deliver)
  }

  /// Publishes `event` on its `PREFIX.<type>.<action>` subject, with its origin and number.
  public func publish(_ event: ByteBuffer) {
    publishParsing(event)
  }

  /// Subscribes to the subjects of a selector the hub's clients gained, or drops the last
  /// reference to those of one they lost.
  public func interestChanged(_ change: InterestChange) {
    // The hub's selectors are the `type.action.key` parts of specifiers it has parsed already.
    guard let specifier = try? EventSpecifier(parsing: change.selector) else { return }
    if change.added {
      addInterest(specifier)
    } else {
      removeInterest(specifier)
    }
  }
}
