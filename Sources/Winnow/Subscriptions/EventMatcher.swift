import Synchronization

/// A fixed set of event specifiers, compiled to answer "does any of them match this event?"
/// (what `winnow match` asks of every line).
///
/// It is the engine of ``SubscriptionRegistry`` with every specifier held by one subscriber:
/// an event visits only the specifiers its type and key (or, for `*.*.*.FILTER` specifiers, the
/// value of a field their filter requires) can match, so the cost per event stays flat from
/// one specifier to 100,000. Each distinct filter is compiled once.
///
/// Immutable and thread-safe: any number of threads can match at once (each dispatch takes
/// scratch memory from a small pool); matching a ``ParsedEvent`` allocates nothing.
public final class EventMatcher: @unchecked Sendable {
  /// Read-only after `init`.
  private let index = SubscriptionIndex()
  private let scratchPool = Mutex<[SubscriptionScratch]>([])

  /// When the only specifier is `*.*.*.FILTER` (or `*.*.*`): its filter, compiled (or nil).
  ///
  /// Such a specifier matches exactly the events its filter holds for, so an event is checked
  /// without the index's lookups and scratch memory.
  private let soleWildcard: SoleWildcard?

  /// The one `*.*.*` specifier's filter. (A class: matching borrows the compiled filter where it
  /// is, instead of copying it and retaining its parts for every event.)
  private final class SoleWildcard {
    let filter: CompiledFilter?

    init(filter: CompiledFilter?) { self.filter = filter }

    @inline(__always)
    func matches(_ subject: Subject) -> Bool { filter?.evaluate(subject) ?? true }
  }

  /// The distinct specifiers (by canonical form), in the order first given.
  public let specifiers: [EventSpecifier]

  /// A matcher for any of `specifiers`; duplicates (by canonical form) count once.
  public init(_ specifiers: some Sequence<EventSpecifier>) {
    var distinct: [EventSpecifier] = []
    index.reserveCapacity(specifiers.underestimatedCount)
    for specifier in specifiers {
      let before = index.specifierCount
      index.register(specifier, subscriber: 0)
      if index.specifierCount > before { distinct.append(specifier) }
    }
    self.specifiers = distinct
    if distinct.count == 1, let only = distinct.first, only.typeValues == nil,
      only.actionValues == nil, only.keyValues == nil
    {
      soleWildcard = SoleWildcard(filter: only.filter.map(CompiledFilter.init))
    } else {
      soleWildcard = nil
    }
  }

  /// A matcher for one specifier.
  public convenience init(_ specifier: EventSpecifier) {
    self.init(CollectionOfOne(specifier))
  }

  /// Whether any specifier matches the event.
  public func matches(_ event: Event) -> Bool {
    event.withParsed(matches)
  }

  /// Whether any specifier matches the parsed event; allocates nothing.
  public func matches(_ event: ParsedEvent) -> Bool {
    matches(event.view, event.fields)
  }

  /// Whether any specifier matches the event viewed by `view`.
  func matches(_ view: JSONView, _ fields: EventFields) -> Bool {
    if let soleWildcard { return soleWildcard.matches(Subject(event: view, fields: fields)) }
    let scratch = scratchPool.withLock { $0.popLast() } ?? SubscriptionScratch()
    index.collect(view, fields, into: scratch)
    let matched = !scratch.matched.isEmpty
    scratchPool.withLock { $0.append(scratch) }
    return matched
  }

  /// How many regex matches gave up at the engine's limits (each counted as no match) while
  /// matching, since the matcher was built.
  public var regexLimitHits: Int {
    // With a sole `*.*.*` specifier the index is never consulted.
    guard let soleWildcard else { return index.regexLimitHits }
    return soleWildcard.filter?.regexLimitHits ?? 0
  }
}
