import Synchronization

/// The subscriptions of many subscribers (websocket clients), with DRP's `register` and
/// `deregister` semantics (SPEC section 7), and the dispatch of events to them.
///
/// - A registration is identified by the specifier's canonical text, so `a.b.c.X=Eq(1)` and
///   `a.b.c.X = Eq( 1 )` are the same registration.
/// - `register` adds one reference; `deregister` removes one, and the registration stays
///   active while it has references. Deregistering what the subscriber does not hold, or
///   giving an invalid specifier, throws and changes nothing.
/// - An event is delivered to a subscriber at most once, however many of its registrations
///   match it.
///
/// Dispatch visits only the specifiers whose type and key can match the event (see
/// `SubscriptionIndex`), evaluates each distinct filter at most once per event and allocates
/// nothing but the result.
///
/// Concurrency: a read-write lock guards the registrations. Any number of threads can dispatch
/// events at once (each with its own scratch memory from a small pool); `register` and
/// `deregister` wait for the dispatches in progress and are seen by every dispatch that starts
/// after they return. Specifier texts are parsed before the write lock is taken (a text that is
/// already a registered canonical form is not parsed at all); a filter is compiled under the
/// lock only the first time the index sees it.
///
/// Costs: dispatch looks up at most eight buckets by hashing the event's bytes, then does work
/// proportional to the specifiers in those buckets; `register` and `deregister` touch only the
/// buckets of one specifier and never rebuild the index.
public final class SubscriptionRegistry<Subscriber: Hashable & Sendable>: @unchecked Sendable {
  /// The limits specifier texts are parsed with.
  public let limits: ParseLimits

  // Internal state is `@usableFromInline` so that dispatch, the hot path, is specialized for
  // the client's `Subscriber` type (unspecialized generic code looks up type metadata per
  // element).
  @usableFromInline let lock = ReadWriteLock()
  /// Guarded by `lock`.
  @usableFromInline let index = SubscriptionIndex()
  /// Guarded by `lock`: subscriber values by id, and back.
  @usableFromInline var subscribers: [Subscriber?] = []
  @usableFromInline var subscriberIDs: [Subscriber: Int32] = [:]
  @usableFromInline var freeSubscriberIDs: [Int32] = []
  /// Scratch memory for dispatches, one per dispatch in progress at most.
  private let scratchPool = Mutex<[SubscriptionScratch]>([])

  /// Creates an empty registry; specifier texts are parsed with `limits`.
  public init(limits: ParseLimits = ParseLimits()) {
    self.limits = limits
  }

  // MARK: - Register and deregister

  /// Adds one reference from `subscriber` to the specifier `text`.
  ///
  /// Throws ``SubscriptionError/invalidSpecifier(_:)``, changing nothing, when `text` is not a
  /// valid specifier.
  @inlinable
  public func register(_ text: String, for subscriber: Subscriber) throws(SubscriptionError) {
    // Text that is the canonical form of a registered specifier is that specifier (canonical
    // forms parse to themselves), so clients repeating a registration skip the parser.
    let done = lock.withWriteLock { () -> Bool in
      guard let id = index.specifierID(canonicalText: text) else { return false }
      index.register(id, subscriber: subscriberID(creating: subscriber))
      return true
    }
    if !done { register(try parse(text), for: subscriber) }
  }

  /// Adds one reference from `subscriber` to `specifier`.
  @inlinable
  public func register(_ specifier: EventSpecifier, for subscriber: Subscriber) {
    lock.withWriteLock {
      index.register(specifier, subscriber: subscriberID(creating: subscriber))
    }
  }

  /// Removes one reference from `subscriber` to the specifier `text`.
  ///
  /// Throws, changing nothing, ``SubscriptionError/invalidSpecifier(_:)`` when `text` is not a
  /// valid specifier and ``SubscriptionError/notRegistered(_:)`` when the subscriber holds no
  /// reference to it.
  @inlinable
  public func deregister(_ text: String, for subscriber: Subscriber) throws(SubscriptionError) {
    // As in `register`: a registered canonical text needs no parsing.
    let known = lock.withWriteLock { () -> Bool? in
      guard let id = index.specifierID(canonicalText: text) else { return nil }
      guard let subscriberID = subscriberIDs[subscriber],
        index.deregister(id, subscriber: subscriberID)
      else { return false }
      forgetIfIdle(subscriber, subscriberID)
      return true
    }
    switch known {
    case true?: return
    case false?: throw .notRegistered(text)
    case nil: try deregister(try parse(text), for: subscriber)
    }
  }

  /// Removes one reference from `subscriber` to `specifier`; throws
  /// ``SubscriptionError/notRegistered(_:)``, changing nothing, when it holds none.
  @inlinable
  public func deregister(_ specifier: EventSpecifier, for subscriber: Subscriber)
    throws(SubscriptionError)
  {
    let removed = lock.withWriteLock { () -> Bool in
      guard let id = subscriberIDs[subscriber],
        index.deregister(specifier.canonicalText, subscriber: id)
      else { return false }
      forgetIfIdle(subscriber, id)
      return true
    }
    if !removed { throw .notRegistered(specifier.canonicalText) }
  }

  /// Removes every registration of `subscriber` (a websocket client going away); returns the
  /// number of references it held.
  @discardableResult
  @inlinable
  public func deregisterAll(for subscriber: Subscriber) -> Int {
    lock.withWriteLock {
      guard let id = subscriberIDs[subscriber] else { return 0 }
      let references = index.deregisterAll(subscriber: id)
      forgetIfIdle(subscriber, id)
      return references
    }
  }

  /// The subscriber's id, given a new one when it has none.
  ///
  /// Called with the write lock held.
  @inlinable
  func subscriberID(creating subscriber: Subscriber) -> Int32 {
    if let known = subscriberIDs[subscriber] { return known }
    let id: Int32
    if let free = freeSubscriberIDs.popLast() {
      id = free
      subscribers[Int(id)] = subscriber
    } else {
      id = Int32(subscribers.count)
      subscribers.append(subscriber)
    }
    subscriberIDs[subscriber] = id
    return id
  }

  /// Frees a subscriber's id once it holds nothing.
  ///
  /// Called with the write lock held.
  @inlinable
  func forgetIfIdle(_ subscriber: Subscriber, _ id: Int32) {
    guard index.isIdle(id) else { return }
    subscriberIDs[subscriber] = nil
    subscribers[Int(id)] = nil
    freeSubscriberIDs.append(id)
  }

  /// Parses a specifier for registering (its filter is compiled only if it is new to the index).
  @usableFromInline
  func parse(_ text: String) throws(SubscriptionError) -> EventSpecifier {
    do throws(Diagnostic) {
      return try EventSpecifier(parsing: text, limits: limits)
    } catch {
      throw .invalidSpecifier(error)
    }
  }

  // MARK: - Reading

  /// The subscribers that `event` is delivered to, each once, in no particular order.
  @inlinable
  public func subscribers(matching event: Event) -> [Subscriber] {
    var result: [Subscriber] = []
    appendSubscribers(matching: event, to: &result)
    return result
  }

  /// Appends the subscribers that `event` is delivered to, each once, to `result`.
  @inlinable
  public func appendSubscribers(matching event: Event, to result: inout [Subscriber]) {
    event.withParsed { appendSubscribers(matching: $0, to: &result) }
  }

  /// Appends the subscribers that a parsed event is delivered to, each once, to `result`:
  /// with one array reused across events (and an ``EventParser``), dispatch allocates nothing.
  @inlinable
  public func appendSubscribers(matching event: ParsedEvent, to result: inout [Subscriber]) {
    let scratch = takeScratch()
    lock.withReadLock {
      index.collect(event, into: scratch)
      for id in scratch.matched { result.append(subscribers[Int(id)].unsafelyUnwrapped) }
    }
    returnScratch(scratch)
  }

  /// A scratch from the pool, or a new one when every pooled one is in use.
  @usableFromInline
  func takeScratch() -> SubscriptionScratch {
    scratchPool.withLock { $0.popLast() } ?? SubscriptionScratch()
  }

  @usableFromInline
  func returnScratch(_ scratch: SubscriptionScratch) {
    scratchPool.withLock { $0.append(scratch) }
  }

  /// The registrations `subscriber` holds: canonical specifier text → reference count.
  @inlinable
  public func registrations(of subscriber: Subscriber) -> [String: Int] {
    lock.withReadLock {
      guard let id = subscriberIDs[subscriber] else { return [:] }
      return index.registrations(of: id)
    }
  }

  /// The subscribers holding at least one registration.
  @inlinable
  public var activeSubscribers: [Subscriber] {
    lock.withReadLock { Array(subscriberIDs.keys) }
  }

  /// The number of distinct specifiers (by canonical text) registered by anyone.
  public var specifierCount: Int { lock.withReadLock { index.specifierCount } }

  /// The number of distinct filters compiled for the registered specifiers.
  public var filterCount: Int { lock.withReadLock { index.filterCount } }

  /// How many regex matches gave up at the engine's limits (each counted as no match) while
  /// dispatching, over the registry's lifetime (filters deregistered since included).
  public var regexLimitHits: Int { lock.withReadLock { index.regexLimitHits } }
}
