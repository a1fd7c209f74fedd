/// The registrations of a ``SubscriptionRegistry`` or an ``EventMatcher``, indexed so that an event
/// visits only the specifiers that can match it.
///
/// Subscribers are small integer ids here; the registry maps them to its subscriber values. Not
/// thread-safe: its owner guards it.
///
/// Each distinct specifier (by canonical text) is stored once with the ids of its subscribers,
/// and placed in buckets (see `SubscriptionIndex+Buckets.swift`):
///
/// - by its type and key entries: one bucket per (type entry, key entry) pair, so that an event
///   looks up at most eight buckets, every specifier in which matches its type and key;
/// - or, for a `*.actions.*.FILTER` specifier whose filter requires an `Eq` or `In` test (the
///   filter itself, or an operand of its top-level `And`), by that test's field and values
///   (see `SubscriptionIndex+Operands.swift`): such specifiers cannot be told apart by type or
///   key, and 100,000 of them must not cost 100,000 evaluations per event.
///
/// Only the action and the filter remain to be checked in a bucket. Register and deregister
/// touch only the buckets of one specifier, with swap-removal (positions are recorded), so
/// neither ever rebuilds the index.
///
/// Memory is laid out for 100,000 registrations, where each cache miss counts: the map entry of
/// a bucket with a single specifier names that specifier (no bucket read), a specifier's
/// ``Record`` holds interned action-list and filter ids and its first subscriber inline, and the
/// duplicate checks of dispatch are skipped where a duplicate is impossible.
///
/// The properties dispatch reads are `@exclusivity(unchecked)`: the index is only changed
/// under its owner's write lock, so the run-time exclusivity checks (about ten per event,
/// each a call into the runtime) would never find a conflict.
@usableFromInline
final class SubscriptionIndex {
  /// One subscriber's hold on one specifier.
  struct Registration {
    /// How many times it was registered and not yet deregistered.
    var count: Int
    /// The subscriber's position in the specifier's subscriber list.
    var position: Int32
  }

  // MARK: Specifiers, by id

  /// The distinct specifiers, by canonical text (one user each: a specifier lives while
  /// someone holds it, which its ``Record`` counts).
  @exclusivity(unchecked) private(set) var specifiers = InternTable<ExactText, EventSpecifier>(
    placeholder: EventSpecifier(filter: Filter(.and([]))))
  /// Per specifier id: what dispatch reads.
  @exclusivity(unchecked) private(set) var records: [Record] = []
  /// Per specifier id: where it sits in its buckets, and the operand path it is indexed under.
  private var placements: [Placement] = []

  /// Compiled filters, interned by canonical text: compiled once however many specifiers use one.
  ///
  /// A released id holds a placeholder that is never evaluated.
  @exclusivity(unchecked) var filters = InternTable<ExactText, CompiledFilter>(
    placeholder: CompiledFilter(Filter(.field(try! FieldPath(parsing: "#"), .exists))))
  /// Action lists, interned (a few distinct lists serve every specifier).
  @exclusivity(unchecked) var actionLists = InternTable<[[UInt8]], [[UInt8]]>(placeholder: [])
  /// The fields of the operand index, interned by their text.
  @exclusivity(unchecked) var operandPaths = InternTable<ExactText, OperandPath>(
    placeholder: OperandPath.unused)

  // MARK: Subscribers, by id (allocated by the owner)

  @exclusivity(unchecked) private(set) var registrations: [[Int32: Registration]] = []

  // MARK: Buckets

  /// The specifier ids of each bucket, by bucket key; a bucket's users are its specifiers (the
  /// three fixed buckets have one more, so they are never released).
  @exclusivity(unchecked) var buckets = InternTable<BucketKey, [Int32]>(placeholder: [])
  /// The mapped buckets by the bytes of their keys, for dispatch.
  @exclusivity(unchecked) var bucketMap = ByteKeyMap()
  /// How many buckets each namespace holds: dispatch skips the lookup in an empty namespace
  /// (with no `*.*.key` registrations, looking up the event's Key there would be a cache miss
  /// for nothing).
  @exclusivity(unchecked) var namespaceCounts: [Int] = Array(
    repeating: 0, count: Namespace.allCases.count)

  /// The regex limit hits of filters no longer registered.
  private var releasedLimitHits = 0

  init() {
    for fixed in [Self.anyTypeAnyKey, Self.machineJobsAnyKey, Self.workOrderJobsAnyKey] {
      let id = buckets.intern(.fixed(fixed)) { [] }
      precondition(id == fixed)
    }
  }

  /// The number of distinct specifiers registered.
  @usableFromInline var specifierCount: Int { specifiers.count }

  /// The number of distinct filters compiled (a filter that the operand index decides alone
  /// is not compiled).
  @usableFromInline var filterCount: Int { filters.count }

  /// Regex limit hits of every filter compiled by this index, released ones included.
  var regexLimitHits: Int {
    releasedLimitHits + filters.liveIDs.reduce(0) { $0 + filters[$1].regexLimitHits }
  }

  /// The id of the specifier with this canonical text.
  private func lookUp(_ canonicalText: String) -> Int32? {
    specifiers.id(of: ExactText(canonicalText))
  }

  // MARK: - Registering

  /// Makes room for `count` more specifiers (each in about one bucket).
  func reserveCapacity(_ count: Int) {
    specifiers.reserveCapacity(count)
    buckets.reserveCapacity(count)
    records.reserveCapacity(records.count + count)
    placements.reserveCapacity(placements.count + count)
  }

  /// The id of the registered specifier with this canonical text, if there is one.
  @usableFromInline
  func specifierID(canonicalText: String) -> Int32? { lookUp(canonicalText) }

  /// Adds one reference from `subscriber` to `specifier`.
  @usableFromInline
  func register(_ specifier: EventSpecifier, subscriber: Int32) {
    register(lookUp(specifier.canonicalText) ?? add(specifier), subscriber: subscriber)
  }

  /// Adds one reference from `subscriber` to the registered specifier `id`.
  @usableFromInline
  func register(_ id: Int32, subscriber: Int32) {
    let s = Int(subscriber)
    while registrations.count <= s { registrations.append([:]) }
    if registrations[s][id] != nil {
      registrations[s][id]!.count += 1
      return
    }
    // A sole registration needs no duplicate check in dispatch; a second one makes both need it.
    let held = registrations[s].count
    if held == 1, let (other, registration) = registrations[s].first {
      records[Int(other)][subscriberAt: Int(registration.position)] = subscriber
    }
    let position = Int32(records[Int(id)].subscriberCount)
    registrations[s][id] = Registration(count: 1, position: position)
    records[Int(id)].appendSubscriber(held == 0 ? ~subscriber : subscriber)
  }

  /// Removes one reference from `subscriber` to the specifier with this canonical text; false
  /// (and nothing changed) when the subscriber holds none.
  @usableFromInline
  func deregister(_ canonicalText: String, subscriber: Int32) -> Bool {
    guard let id = lookUp(canonicalText) else { return false }
    return deregister(id, subscriber: subscriber)
  }

  /// Removes one reference from `subscriber` to the registered specifier `id`; false (and
  /// nothing changed) when the subscriber holds none.
  @usableFromInline
  func deregister(_ id: Int32, subscriber: Int32) -> Bool {
    let s = Int(subscriber)
    guard s < registrations.count, let registration = registrations[s][id] else { return false }
    if registration.count > 1 {
      registrations[s][id]!.count -= 1
    } else {
      release(id, subscriber: subscriber, position: registration.position)
    }
    return true
  }

  /// Removes every registration of `subscriber`; returns how many references it held.
  @usableFromInline
  func deregisterAll(subscriber: Int32) -> Int {
    let s = Int(subscriber)
    guard s < registrations.count else { return 0 }
    var references = 0
    for id in Array(registrations[s].keys) {
      let registration = registrations[s][id]!
      references += registration.count
      release(id, subscriber: subscriber, position: registration.position)
    }
    return references
  }

  /// Whether the subscriber holds no registration (its id may then be reused).
  @usableFromInline
  func isIdle(_ subscriber: Int32) -> Bool {
    Int(subscriber) >= registrations.count || registrations[Int(subscriber)].isEmpty
  }

  /// The canonical texts the subscriber holds, with their reference counts.
  @usableFromInline
  func registrations(of subscriber: Int32) -> [String: Int] {
    guard Int(subscriber) < registrations.count else { return [:] }
    var result: [String: Int] = [:]
    for (id, registration) in registrations[Int(subscriber)] {
      result[specifiers[id].canonicalText] = registration.count
    }
    return result
  }

  /// Drops the subscriber's last reference to specifier `id`, and the specifier when no one
  /// holds it any more.
  private func release(_ id: Int32, subscriber: Int32, position: Int32) {
    registrations[Int(subscriber)][id] = nil
    let moved = records[Int(id)].removeLastSubscriber()
    if SubscriptionIndex.subscriber(moved) != subscriber {
      records[Int(id)][subscriberAt: Int(position)] = moved
      registrations[Int(SubscriptionIndex.subscriber(moved))][id]!.position = position
    }
    if records[Int(id)].subscriberCount == 0 { remove(id) }
    if registrations[Int(subscriber)].count == 1,
      let (other, registration) = registrations[Int(subscriber)].first
    {
      records[Int(other)][subscriberAt: Int(registration.position)] = ~subscriber
    }
  }

  // MARK: - Specifiers

  /// Stores a new distinct specifier and places it in its buckets.
  private func add(_ specifier: EventSpecifier) -> Int32 {
    let id = specifiers.intern(ExactText(specifier.canonicalText)) { specifier }
    let i = Int(id)
    while records.count <= i {
      records.append(Record.unused)
      placements.append(Placement())
    }
    records[i].actions =
      specifier.actionValues.map { actions in
        actionLists.intern(actions) { actions }
      } ?? -1
    var keys: [BucketKey]
    var filterLeft = specifier.filter
    if let (operand, decidesFilter) = operandPlacement(of: specifier) {
      let path = operandPaths.intern(ExactText(operand.path.text)) { OperandPath(operand.path) }
      placements[i].operandPath = path
      keys = operand.keys.map { BucketKey.operand($0, path: path) }
      if decidesFilter { filterLeft = nil }
    } else {
      keys = SubscriptionIndex.bucketKeys(of: specifier)
    }
    records[i].filter =
      filterLeft.map { filter in
        filters.intern(ExactText(filter.canonicalText)) { filter.compiled() }
      } ?? -1
    placements[i].slots = keys.map { place(id, in: $0) }
    records[i].isShared = placements[i].slots.count > 1
    return id
  }

  /// Takes specifier `id` out of its buckets and frees it.
  private func remove(_ id: Int32) {
    let i = Int(id)
    for slot in placements[i].slots { takeOut(id, from: slot) }
    if records[i].filter >= 0, let released = filters.release(records[i].filter) {
      releasedLimitHits += released.regexLimitHits
    }
    if records[i].actions >= 0 { actionLists.release(records[i].actions) }
    if placements[i].operandPath >= 0 { operandPaths.release(placements[i].operandPath) }
    specifiers.release(id)
    records[i] = Record.unused
    placements[i] = Placement()
  }

  /// Where a specifier sits: its position in each of its buckets, and the operand path it is
  /// indexed under (-1 when it is placed by type and key).
  struct Placement {
    var slots: [BucketSlot] = []
    var operandPath: Int32 = -1
  }

  /// Moves the position of specifier `id` in `bucket` to `position` (after a swap-removal).
  func move(_ id: Int32, in bucket: Int32, to position: Int32) {
    let k = placements[Int(id)].slots.firstIndex { $0.bucket == bucket }!
    placements[Int(id)].slots[k].position = position
  }
}
