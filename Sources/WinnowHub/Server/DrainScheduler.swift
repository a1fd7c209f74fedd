import NIOCore
import Synchronization

/// Runs the drains requested on one event loop's connections in one task of that loop: the
/// first request after a run schedules a run, later ones join it, so a published body costs
/// each event loop one task however many of its connections it goes to.
///
/// Requests come from any thread (the hub queues on the publisher's); drains run on the loop.
final class DrainScheduler: Sendable {
  let eventLoop: any EventLoop
  private let pending = Mutex(Pending())

  private struct Pending {
    var drains: [@Sendable () -> Void] = []
    /// The array the last run emptied, kept for its capacity.
    var spare: [@Sendable () -> Void] = []
  }

  init(eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  /// Runs `drain` on the loop soon, after the drains already requested.
  func schedule(_ drain: @escaping @Sendable () -> Void) {
    let first = pending.withLock { pending -> Bool in
      pending.drains.append(drain)
      return pending.drains.count == 1
    }
    if first { eventLoop.execute { self.run() } }
  }

  /// Runs every drain requested so far (drains requested while they run get another run).
  private func run() {
    var drains: [@Sendable () -> Void] = []
    pending.withLock { pending in
      swap(&drains, &pending.spare)
      swap(&drains, &pending.drains)
    }
    for drain in drains { drain() }
    drains.removeAll(keepingCapacity: true)
    pending.withLock { pending in
      if pending.spare.capacity < drains.capacity { swap(&drains, &pending.spare) }
    }
  }
}

/// One ``DrainScheduler`` per event loop, made on first use.
final class DrainSchedulers: Sendable {
  private let schedulers = Mutex<[ObjectIdentifier: DrainScheduler]>([:])

  init() {}

  /// The scheduler of `eventLoop`.
  func scheduler(for eventLoop: any EventLoop) -> DrainScheduler {
    schedulers.withLock { schedulers in
      let key = ObjectIdentifier(eventLoop)
      if let scheduler = schedulers[key] { return scheduler }
      let scheduler = DrainScheduler(eventLoop: eventLoop)
      schedulers[key] = scheduler
      return scheduler
    }
  }
}
