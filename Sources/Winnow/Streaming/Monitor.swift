#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A mutex with one condition variable (pthreads): the hand-off between the block-parallel
/// loop's reader and its workers.
final class Monitor: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>

  init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
    condition = .allocate(capacity: 1)
    condition.initialize(to: pthread_cond_t())
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  /// Runs `body` holding the mutex.
  @inline(__always)
  func withLock<R>(_ body: () throws(Never) -> R) -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }

  /// Waits, the mutex held, until `ready` holds (it is checked first and after every wake-up).
  @inline(__always)
  func wait(until ready: () -> Bool) {
    while !ready() { pthread_cond_wait(condition, mutex) }
  }

  /// Wakes every waiter; call with the mutex held.
  @inline(__always)
  func broadcast() { pthread_cond_broadcast(condition) }
}

/// Starts a thread running `body` (joined with ``joinThread(_:)``).
func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
  final class Box: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let context = Unmanaged.passRetained(Box(body)).toOpaque()
  #if canImport(Glibc)
    var thread = pthread_t()
  #else
    var thread: pthread_t?
  #endif
  let status = pthread_create(
    &thread, nil,
    { context in
      let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
      box.body()
      return nil
    }, context)
  precondition(status == 0, "pthread_create failed with \(status)")
  #if canImport(Glibc)
    return thread
  #else
    return thread!
  #endif
}

/// Waits for a thread started by ``startThread(_:)`` to end.
func joinThread(_ thread: pthread_t) {
  pthread_join(thread, nil)
}
