/// One dispatcher's working memory for one event at a time: which specifiers, filters and
/// subscribers this event has already seen, as "stamps" equal to the current event's number.
///
/// Starting an event is O(1) (the number goes up); nothing is cleared per event, and nothing is
/// allocated once the buffers have grown to the registry's size. Each dispatching thread takes
/// its own scratch from the registry's pool, so readers never share one; that is why its
/// properties skip the run-time exclusivity checks (`@exclusivity(unchecked)`).
@usableFromInline
final class SubscriptionScratch: @unchecked Sendable {
  /// The current event's stamp.
  ///
  /// Filter stamps hold `2 * epoch + result`, so it stays below 2^31.
  @exclusivity(unchecked) private(set) var epoch: UInt32 = 0
  @exclusivity(unchecked) private(set) var specifierStamps = StampBuffer()
  @exclusivity(unchecked) private(set) var filterStamps = StampBuffer()
  @exclusivity(unchecked) private(set) var subscriberStamps = StampBuffer()
  /// The subscriber ids found for the current event, in the order found.
  @exclusivity(unchecked) @usableFromInline var matched: [Int32] = []

  @usableFromInline init() {}

  /// Moves `matched` out (emptied, capacity kept), so it can be filled without exclusivity
  /// checks; the caller puts it back.
  func takeMatched() -> [Int32] {
    var taken: [Int32] = []
    swap(&taken, &matched)
    taken.removeAll(keepingCapacity: true)
    return taken
  }

  deinit {
    specifierStamps.deallocate()
    filterStamps.deallocate()
    subscriberStamps.deallocate()
  }

  /// Starts a new event for a registry with these id ranges.
  func begin(specifiers: Int, filters: Int, subscribers: Int) {
    specifierStamps.ensure(specifiers)
    filterStamps.ensure(filters)
    subscriberStamps.ensure(subscribers)
    if epoch >= UInt32.max / 2 - 1 {
      specifierStamps.clear()
      filterStamps.clear()
      subscriberStamps.clear()
      epoch = 0
    }
    epoch += 1
  }
}

/// A growable, zero-filled buffer of stamps, read and written through a raw pointer so that the
/// hot loop has no bounds or exclusivity checks (ids are always below the `ensure`d count).
struct StampBuffer {
  private(set) var base: UnsafeMutablePointer<UInt32> = .allocate(capacity: 0)
  private(set) var capacity = 0

  mutating func ensure(_ count: Int) {
    guard count > capacity else { return }
    let grown = max(count, capacity * 2, 64)
    let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: grown)
    buffer.initialize(repeating: 0, count: grown)
    buffer.update(from: base, count: capacity)
    base.deallocate()
    base = buffer
    capacity = grown
  }

  func clear() { base.update(repeating: 0, count: capacity) }

  func deallocate() { base.deallocate() }
}
