import NIOCore
import Winnow
import WinnowHub

/// The hub's bus seam on NATS: `winnow serve --nats` builds an ``NATSEventBus``, connects it and
/// hands it to the `EventHub`.
extension NATSEventBus: EventBus {
  public func start(deliver: @escaping @Sendable (ByteBuffer) -> Void) {
    setDeliver(deliver)
  }

  public func publish(_ event: ByteBuffer) {
    publishParsing(event)
  }

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
