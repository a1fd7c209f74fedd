/// The registrations of a ``SubscriptionRegistry``, indexed so that an event visits only the
/// specifiers that can match it. Subscribers are small integer ids here; the registry maps them
/// to its subscriber values. Not thread-safe: the registry guards it with its lock.
///
/// Each distinct specifier (by canonical text) is stored once with the ids of its subscribers,
/// and placed in one bucket per (type entry, key entry) pair it holds:
///
/// | type entry | key entry | bucket |
/// | --- | --- | --- |
/// | `t` | `k` | the map, under (type and key, t, k) |
/// | `t` | `*` | the map, under (type, t) |
/// | `*` | `k` | the map, under (key, k) |
/// | `*` | `*` | fixed bucket 0 |
/// | `machine_jobs` | `k` | the map, under (machine, k) |
/// | `machine_jobs` | `*` | fixed bucket 1 |
/// | `work_order_jobs` | `k` | the map, under (work order, k) |
/// | `work_order_jobs` | `*` | fixed bucket 2 |
///
/// An event looks up at most eight buckets: every specifier in them matches its type and key,
/// so only the action and the filter remain to be checked. Register and deregister touch only
/// the buckets of one specifier, with swap-removal (positions are recorded), so neither ever
/// rebuilds the index.
///
/// Memory is laid out for 100,000 registrations, where each cache miss counts: the map entry of
/// a bucket with a single specifier names that specifier (no bucket read), a specifier's
/// ``Record`` holds interned action-list and filter ids and its first subscriber inline, and the
/// duplicate checks of dispatch are skipped where a duplicate is impossible.
@usableFromInline
final class SubscriptionIndex {
  /// The namespaces of bucket keys in ``bucketMap``.
  enum Namespace: UInt8 {
    case typeAndKey, type, key, machine, workOrder
  }

  /// Where a specifier sits in one bucket.
  struct BucketSlot {
    var bucket: Int32
    var position: Int32
  }

  /// One subscriber's hold on one specifier.
  struct Registration {
    /// How many times it was registered and not yet deregistered.
    var count: Int
    /// The subscriber's position in the specifier's subscriber list.
    var position: Int32
  }

  /// What a freed filter id holds, so that live ids need no unwrapping.
  /// (Any valid term will do; it is never evaluated. `Or()` is not one: terms have operands.)
  static let unusedFilter = CompiledFilter(Filter(.field(try! FieldPath(parsing: "#"), .exists)))

  static let anyTypeAnyKey: Int32 = 0
  static let machineJobsAnyKey: Int32 = 1
  static let workOrderJobsAnyKey: Int32 = 2

  // MARK: Specifiers, by id

  private(set) var specifiers: [EventSpecifier?] = []
  private(set) var records: [Record] = []
  private var specifierSlots: [[BucketSlot]] = []
  /// Specifier ids by canonical text. A ``ByteKeyMap`` rather than a `[String: Int32]`: its
  /// word-at-a-time hash is several times cheaper than `Hasher` on texts of 50 bytes and more,
  /// and register/deregister look a text up two or three times.
  private var specifierIDs = ByteKeyMap()
  private var freeSpecifiers: [Int32] = []

  // MARK: Filters, interned by canonical text

  /// Compiled filters by id; a freed id holds ``unusedFilter``.
  private(set) var filters: [CompiledFilter] = []
  private var filterTexts: [String] = []
  private var filterUsers: [Int] = []
  private var filterIDs: [String: Int32] = [:]
  private var freeFilters: [Int32] = []

  // MARK: Action lists, interned (a few distinct lists serve every specifier)

  private(set) var actionLists: [[[UInt8]]] = []
  private var actionListUsers: [Int] = []
  private var actionListIDs: [[[UInt8]]: Int32] = [:]
  private var freeActionLists: [Int32] = []

  // MARK: Subscribers, by id (allocated by the registry)

  private(set) var registrations: [[Int32: Registration]] = []

  // MARK: Buckets

  /// The specifier ids of each bucket.
  private(set) var buckets: [[Int32]] = [[], [], []]
  /// The map key of each mapped bucket, to remove it once it is empty.
  private var bucketKeys: [(Namespace, [UInt8], [UInt8])?] = [nil, nil, nil]
  private var freeBuckets: [Int32] = []
  private(set) var bucketMap = ByteKeyMap()
  /// How many buckets each namespace holds: dispatch skips the lookup in an empty namespace
  /// (with no `*.*.key` registrations, looking up the event's Key there would be a cache miss
  /// for nothing).
  private(set) var namespaceCounts: [Int] = [0, 0, 0, 0, 0]

  /// The number of distinct specifiers registered.
  @usableFromInline var specifierCount: Int { specifierIDs.count }

  /// The id of the specifier with this canonical text.
  private func lookUp(_ canonicalText: String) -> Int32? {
    var text = canonicalText
    return text.withUTF8 { bytes in
      specifierIDs.find(0, bytes, UnsafeBufferPointer(start: nil, count: 0))
        .map { Int32(truncatingIfNeeded: $0) }
    }
  }
  /// The number of distinct filters compiled.
  @usableFromInline var filterCount: Int { filterIDs.count }

  /// The regex limit hits of filters no longer registered.
  private var releasedLimitHits = 0

  /// Regex limit hits of every filter compiled by this index, released ones included.
  var regexLimitHits: Int {
    releasedLimitHits + filterIDs.values.reduce(0) { $0 + filters[Int($1)].regexLimitHits }
  }

  // MARK: - Registering

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
      result[specifiers[Int(id)]!.canonicalText] = registration.count
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
    let id: Int32
    if let free = freeSpecifiers.popLast() {
      id = free
    } else {
      id = Int32(specifiers.count)
      specifiers.append(nil)
      records.append(Record.unused)
      specifierSlots.append([])
    }
    let i = Int(id)
    specifiers[i] = specifier
    records[i].actions = specifier.actionValues.map(internActions) ?? -1
    records[i].filter = specifier.filter.map { intern($0, compiled: specifier.compiledFilter) } ?? -1
    specifierIDs.insert(0, Array(specifier.canonicalText.utf8), [], UInt64(UInt32(bitPattern: id)))
    var slots: [BucketSlot] = []
    for key in SubscriptionIndex.bucketKeys(of: specifier) {
      let bucket = self.bucket(for: key, firstSpecifier: id)
      let b = Int(bucket)
      slots.append(BucketSlot(bucket: bucket, position: Int32(buckets[b].count)))
      buckets[b].append(id)
      // The map's hint names the only specifier of a bucket; a second one clears it.
      if buckets[b].count == 2, let (namespace, a, b2) = bucketKeys[b] {
        bucketMap.update(namespace.rawValue, a, b2, SubscriptionIndex.mapValue(bucket, only: -1))
      }
    }
    specifierSlots[i] = slots
    records[i].isShared = slots.count > 1
    return id
  }

  /// Takes specifier `id` out of its buckets and frees it.
  private func remove(_ id: Int32) {
    let i = Int(id)
    for slot in specifierSlots[i] {
      let b = Int(slot.bucket)
      let moved = buckets[b].removeLast()
      if moved != id {
        buckets[b][Int(slot.position)] = moved
        let k = specifierSlots[Int(moved)].firstIndex { $0.bucket == slot.bucket }!
        specifierSlots[Int(moved)][k].position = slot.position
      }
      if let (namespace, a, b2) = bucketKeys[b] {
        if buckets[b].isEmpty {
          bucketMap.remove(namespace.rawValue, a, b2)
          namespaceCounts[Int(namespace.rawValue)] -= 1
          bucketKeys[b] = nil
          freeBuckets.append(slot.bucket)
        } else if buckets[b].count == 1 {
          bucketMap.update(
            namespace.rawValue, a, b2, SubscriptionIndex.mapValue(slot.bucket, only: buckets[b][0]))
        }
      }
    }
    if records[i].filter >= 0 { releaseFilter(records[i].filter) }
    if records[i].actions >= 0 { releaseActions(records[i].actions) }
    specifierIDs.remove(0, Array(specifiers[i]!.canonicalText.utf8), [])
    specifiers[i] = nil
    records[i] = Record.unused
    specifierSlots[i] = []
    freeSpecifiers.append(id)
  }

  // MARK: - Filters

  /// The id of the filter with this canonical text, compiled once however many specifiers use it.
  private func intern(_ filter: Filter, compiled: CompiledFilter?) -> Int32 {
    let text = filter.canonicalText
    if let id = filterIDs[text] {
      filterUsers[Int(id)] += 1
      return id
    }
    let compiled = compiled ?? filter.compiled()
    let id: Int32
    if let free = freeFilters.popLast() {
      id = free
      filters[Int(id)] = compiled
      filterTexts[Int(id)] = text
      filterUsers[Int(id)] = 1
    } else {
      id = Int32(filters.count)
      filters.append(compiled)
      filterTexts.append(text)
      filterUsers.append(1)
    }
    filterIDs[text] = id
    return id
  }

  private func releaseFilter(_ id: Int32) {
    let i = Int(id)
    filterUsers[i] -= 1
    guard filterUsers[i] == 0 else { return }
    releasedLimitHits += filters[i].regexLimitHits
    filterIDs[filterTexts[i]] = nil
    filters[i] = SubscriptionIndex.unusedFilter
    filterTexts[i] = ""
    freeFilters.append(id)
  }

  // MARK: - Action lists

  /// The id of this action list, stored once however many specifiers use it.
  private func internActions(_ actions: [[UInt8]]) -> Int32 {
    if let id = actionListIDs[actions] {
      actionListUsers[Int(id)] += 1
      return id
    }
    let id: Int32
    if let free = freeActionLists.popLast() {
      id = free
      actionLists[Int(id)] = actions
      actionListUsers[Int(id)] = 1
    } else {
      id = Int32(actionLists.count)
      actionLists.append(actions)
      actionListUsers.append(1)
    }
    actionListIDs[actions] = id
    return id
  }

  private func releaseActions(_ id: Int32) {
    let i = Int(id)
    actionListUsers[i] -= 1
    guard actionListUsers[i] == 0 else { return }
    actionListIDs[actionLists[i]] = nil
    actionLists[i] = []
    freeActionLists.append(id)
  }

  // MARK: - Buckets

  /// A bucket a specifier is placed in: a fixed one, or one found under a map key.
  enum BucketKey: Hashable {
    case fixed(Int32)
    case mapped(Namespace, [UInt8], [UInt8])
  }

  /// The distinct buckets of a specifier: one per (type entry, key entry) pair.
  static func bucketKeys(of specifier: EventSpecifier) -> [BucketKey] {
    // The common shapes first, without building the cross product (register throughput).
    if specifier.ordinaryTypes.count == 1, !specifier.selectsMachineJobs,
      !specifier.selectsWorkOrderJobs
    {
      let type = specifier.ordinaryTypes[0]
      guard let keys = specifier.keyValues else { return [.mapped(.type, type, [])] }
      if keys.count == 1 { return [.mapped(.typeAndKey, type, keys[0])] }
    }
    enum TypeEntry: Hashable {
      case any, machineJobs, workOrderJobs
      case type([UInt8])
    }
    var types: [TypeEntry] = []
    if specifier.typeValues == nil { types.append(.any) }
    if specifier.selectsMachineJobs { types.append(.machineJobs) }
    if specifier.selectsWorkOrderJobs { types.append(.workOrderJobs) }
    for type in specifier.ordinaryTypes where !types.contains(.type(type)) {
      types.append(.type(type))
    }
    var keys: [[UInt8]?] = []
    for key in specifier.keyValues ?? [] where !keys.contains(key) { keys.append(key) }
    if specifier.keyValues == nil { keys.append(nil) }

    var result: [BucketKey] = []
    for type in types {
      for key in keys {
        switch (type, key) {
        case (.any, nil): result.append(.fixed(anyTypeAnyKey))
        case (.any, let key?): result.append(.mapped(.key, key, []))
        case (.machineJobs, nil): result.append(.fixed(machineJobsAnyKey))
        case (.machineJobs, let key?): result.append(.mapped(.machine, key, []))
        case (.workOrderJobs, nil): result.append(.fixed(workOrderJobsAnyKey))
        case (.workOrderJobs, let key?): result.append(.mapped(.workOrder, key, []))
        case (.type(let type), nil): result.append(.mapped(.type, type, []))
        case (.type(let type), let key?): result.append(.mapped(.typeAndKey, type, key))
        }
      }
    }
    return result
  }

  /// The bucket for `key`, created (holding no specifier yet, with `firstSpecifier` as its
  /// map hint) when it does not exist yet.
  private func bucket(for key: BucketKey, firstSpecifier: Int32) -> Int32 {
    switch key {
    case .fixed(let bucket):
      return bucket
    case .mapped(let namespace, let a, let b):
      let found = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in bucketMap.find(namespace.rawValue, a, b) }
      }
      if let found { return SubscriptionIndex.bucket(ofMapValue: found) }
      let bucket: Int32
      if let free = freeBuckets.popLast() {
        bucket = free
      } else {
        bucket = Int32(buckets.count)
        buckets.append([])
        bucketKeys.append(nil)
      }
      bucketKeys[Int(bucket)] = (namespace, a, b)
      bucketMap.insert(
        namespace.rawValue, a, b, SubscriptionIndex.mapValue(bucket, only: firstSpecifier))
      namespaceCounts[Int(namespace.rawValue)] += 1
      return bucket
    }
  }

  // MARK: - Map values

  /// What the map holds for a bucket: its id, and the id of its only specifier (-1 when it
  /// holds several), so that dispatch reaches a one-specifier bucket without reading it.
  static func mapValue(_ bucket: Int32, only specifier: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: bucket)) | UInt64(UInt32(bitPattern: specifier)) << 32
  }

  @inline(__always)
  static func bucket(ofMapValue value: UInt64) -> Int32 {
    Int32(bitPattern: UInt32(truncatingIfNeeded: value))
  }

  @inline(__always)
  static func onlySpecifier(ofMapValue value: UInt64) -> Int32 {
    Int32(bitPattern: UInt32(truncatingIfNeeded: value >> 32))
  }
}
