import NIOCore
import Synchronization

/// The bounded queue between the hub, which fills it from any thread without waiting, and one
/// connection's writer, which drains it.
///
/// The writer either waits in ``next(into:)`` (a task), or is told by a drain request
/// (``requestDrains(_:)``): the request is made once when items arrive and no drain is pending,
/// and the drain ends with ``poll(into:endingDrain:)``, which takes everything queued and, when
/// nothing is, lets the next arrival request a drain again. Items queued meanwhile join the
/// pending drain.
///
/// `enqueue` never blocks: when the queue already holds `capacity` items the queue closes
/// itself with ``CloseReason/slowConsumer`` and refuses the item, so a client that does not read
/// costs the publisher one failed append and nothing more. Once closed, a queue refuses every
/// item; its writer receives the reason as soon as it has taken what was queued before.
public final class DeliveryQueue: Sendable {
  /// The most items held at once.
  public let capacity: Int

  fileprivate struct State {
    var items = CircularBuffer<Outbound>(initialCapacity: 16)
    var waiter: CheckedContinuation<Void, Never>?
    /// Called when items arrive and no drain is pending (see ``requestDrains(_:)``).
    var drainRequest: (@Sendable () -> Void)?
    /// A drain was requested and has not yet found the queue empty.
    var drainPending = false
    var closeReason: CloseReason?
    var closeWaiters: [CheckedContinuation<CloseReason, Never>] = []
    /// The most items held at once so far.
    var highWater = 0
  }

  private let state = Mutex(State())

  /// An open, empty queue holding at most `capacity` items.
  public init(capacity: Int) {
    precondition(capacity > 0, "a delivery queue holds at least one item")
    self.capacity = capacity
  }

  /// What `enqueue` did.
  public enum EnqueueResult: Sendable, Equatable {
    /// The item is queued.
    case queued
    /// The queue was full: it is now closed as a slow consumer (reported once).
    case overflowed
    /// The queue was already closed; the item is dropped.
    case closed
  }

  /// Appends `item` without waiting.
  ///
  /// With `wakingWriter` false a waiting writer is left waiting: the caller queues more and then
  /// calls ``wakeWriter()``, so that the writer takes them in one batch (the hub does so for the
  /// events of one published body).
  @discardableResult
  public func enqueue(_ item: Outbound, wakingWriter: Bool = true) -> EnqueueResult {
    let (result, wake) = state.withLock { state -> (EnqueueResult, Wake) in
      guard state.closeReason == nil else { return (.closed, Wake()) }
      guard state.items.count < capacity else {
        state.closeReason = .slowConsumer
        state.items.removeAll()
        for waiter in state.closeWaiters { waiter.resume(returning: .slowConsumer) }
        state.closeWaiters.removeAll()
        return (.overflowed, state.wake(closing: true))
      }
      state.items.append(item)
      state.highWater = max(state.highWater, state.items.count)
      return (.queued, wakingWriter ? state.wake(closing: false) : Wake())
    }
    wake.run()
    return result
  }

  /// Wakes the writer if it waits, or requests a drain if none is pending (after
  /// ``enqueue(_:wakingWriter:)`` with false).
  public func wakeWriter() {
    state.withLock { $0.wake(closing: false) }.run()
  }

  /// From now on, `request` is called (on the thread that queues, outside the queue's lock)
  /// whenever items arrive and no drain is pending, and whenever the queue closes; at once if
  /// items are already waiting or the queue is closed.
  ///
  /// The drain it starts takes items with ``poll(into:endingDrain:)``. For a writer that does not
  /// wait in ``next(into:)``; set once.
  public func requestDrains(_ request: @escaping @Sendable () -> Void) {
    let wake = state.withLock { state -> Wake in
      precondition(state.drainRequest == nil, "a queue has one drain request")
      state.drainRequest = request
      return state.wake(closing: state.closeReason != nil)
    }
    wake.run()
  }

  /// Drops the drain request: the writer is gone (its socket closed or the queue closed and
  /// drained), and the request no longer holds it.
  public func stopRequestingDrains() {
    let request = state.withLock { state in
      state.drainPending = false
      return state.drainRequest.take()
    }
    _ = request  // released outside the lock
  }

  /// Whether drains are requested (for tests).
  var requestsDrains: Bool { state.withLock { $0.drainRequest != nil } }

  /// Whether a drain is pending (for tests).
  var drainPending: Bool { state.withLock { $0.drainPending } }

  /// Whom to wake, found under the lock and woken outside it.
  fileprivate struct Wake {
    var waiter: CheckedContinuation<Void, Never>?
    var drain: (@Sendable () -> Void)?

    func run() {
      waiter?.resume()
      drain?()
    }
  }

  /// Closes the queue: the writer gets `reason` after the items already queued (a slow consumer has
  /// none left).
  ///
  /// The first reason given stands.
  public func close(_ reason: CloseReason) {
    let (wake, closeWaiters, reason) = state.withLock { state in
      if state.closeReason == nil { state.closeReason = reason }
      let closeWaiters = state.closeWaiters
      state.closeWaiters.removeAll()
      return (state.wake(closing: true), closeWaiters, state.closeReason!)
    }
    wake.run()
    for closeWaiter in closeWaiters { closeWaiter.resume(returning: reason) }
  }

  /// Waits until the queue is closed and returns why (at once if it is).
  ///
  /// Any number of tasks may wait; the wait ends only when the queue closes.
  public func waitForClose() async -> CloseReason {
    await withCheckedContinuation { (continuation: CheckedContinuation<CloseReason, Never>) in
      let reason = state.withLock { state -> CloseReason? in
        if let reason = state.closeReason { return reason }
        state.closeWaiters.append(continuation)
        return nil
      }
      if let reason { continuation.resume(returning: reason) }
    }
  }

  /// Whether the writer waits in ``next(into:)`` (for tests).
  var writerWaits: Bool { state.withLock { $0.waiter != nil } }

  /// The reason the queue was closed, if it was.
  public var closeReason: CloseReason? { state.withLock { $0.closeReason } }

  /// The number of items waiting.
  public var count: Int { state.withLock { $0.items.count } }

  /// The most items that were waiting at once.
  public var highWater: Int { state.withLock { $0.highWater } }

  /// What the writer gets next: every item waiting, or, once they are taken, the close reason.
  public enum Batch: Sendable {
    /// Items were moved to the caller's array.
    case items
    /// The queue is closed and empty: the connection ends with this reason.
    case closed(CloseReason)
  }

  /// Without waiting: moves every waiting item to `items` and returns `.items`, or returns
  /// `.closed` when the queue is closed and empty, or nil when there is nothing yet.
  public func poll(into items: inout [Outbound]) -> Batch? {
    poll(into: &items, endingDrain: false)
  }

  /// ``poll(into:)`` for a drain (see ``requestDrains(_:)``): with `endingDrain`, finding the
  /// queue open and empty ends the pending drain, so that the next item queued requests another.
  ///
  /// A drain that stops before the queue is empty (its socket cannot take more) keeps the drain
  /// pending: items queued meanwhile request nothing and wait for it to resume.
  public func poll(into items: inout [Outbound], endingDrain: Bool) -> Batch? {
    state.withLock { state -> Batch? in
      if !state.items.isEmpty {
        items.append(contentsOf: state.items)
        state.items.removeAll(keepingCapacity: true)
        return .items
      }
      if let reason = state.closeReason { return .closed(reason) }
      if endingDrain { state.drainPending = false }
      return nil
    }
  }

  /// Waits until something is queued or the queue is closed, then does what ``poll(into:)`` does.
  ///
  /// One writer only.
  public func next(into items: inout [Outbound]) async -> Batch {
    while true {
      if let outcome = poll(into: &items) { return outcome }
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { state -> Bool in
          if !state.items.isEmpty || state.closeReason != nil { return true }
          state.waiter = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    }
  }
}

extension DeliveryQueue.State {
  /// Takes the waiting writer, and the drain request when items wait and no drain is pending
  /// (or always, when the queue is closing, so that a paused drain learns of it).
  fileprivate mutating func wake(closing: Bool) -> DeliveryQueue.Wake {
    var wake = DeliveryQueue.Wake(waiter: waiter.take())
    if let drainRequest, closing || (!drainPending && !items.isEmpty) {
      drainPending = true
      wake.drain = drainRequest
    }
    return wake
  }
}
