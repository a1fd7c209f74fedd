/// Values stored once per distinct key and shared by reference count, under small integer ids
/// that are reused once released: the one allocator of ``SubscriptionIndex``, which keeps its
/// specifiers, buckets, filters, action lists and operand paths in five of them.
///
/// Ids index ``values`` directly, so dispatch reads a value without hashing; a released id
/// holds the placeholder, so live ids need no unwrapping.
struct InternTable<Key: Hashable, Value> {
  /// Values by id; a released id holds the placeholder.
  private(set) var values: [Value] = []
  /// How many users each id has (0: released).
  private(set) var users: [Int] = []
  private var keys: [Key?] = []
  private var ids: [Key: Int32] = [:]
  private var freeIDs: [Int32] = []
  private let placeholder: Value

  init(placeholder: Value) {
    self.placeholder = placeholder
  }

  /// Makes room for `count` more keys.
  mutating func reserveCapacity(_ count: Int) {
    ids.reserveCapacity(ids.count + count)
    values.reserveCapacity(values.count + count)
    users.reserveCapacity(users.count + count)
    keys.reserveCapacity(keys.count + count)
  }

  /// The number of distinct live keys.
  var count: Int { ids.count }

  /// One past the largest id ever given: the size of per-id arrays.
  var idRange: Int { values.count }

  /// The id of `key` if it is live.
  func id(of key: Key) -> Int32? { ids[key] }

  subscript(id: Int32) -> Value { values[Int(id)] }

  /// The id of `key` with one more user; `make` builds its value when the key is new.
  mutating func intern(_ key: Key, make: () -> Value) -> Int32 {
    internNoting(key, make: make).id
  }

  /// The id of `key` with one more user, and whether it was new (`make` built its value).
  mutating func internNoting(_ key: Key, make: () -> Value) -> (id: Int32, isNew: Bool) {
    if let id = ids[key] {
      users[Int(id)] += 1
      return (id, false)
    }
    let id = allocate(make())
    keys[Int(id)] = key
    ids[key] = id
    return (id, true)
  }

  /// One more user for a live id.
  mutating func retain(_ id: Int32) {
    users[Int(id)] += 1
  }

  /// The key of a live id.
  func key(of id: Int32) -> Key { keys[Int(id)]! }

  /// The value of a live id, changed in place.
  mutating func modify<R>(_ id: Int32, _ body: (inout Value) -> R) -> R {
    body(&values[Int(id)])
  }

  /// One user less for `id`; when it was the last, frees the id and returns its value.
  @discardableResult
  mutating func release(_ id: Int32) -> Value? {
    let i = Int(id)
    users[i] -= 1
    guard users[i] == 0 else { return nil }
    let value = values[i]
    ids[keys[i]!] = nil
    keys[i] = nil
    values[i] = placeholder
    freeIDs.append(id)
    return value
  }

  private mutating func allocate(_ value: Value) -> Int32 {
    if let id = freeIDs.popLast() {
      values[Int(id)] = value
      users[Int(id)] = 1
      return id
    }
    values.append(value)
    users.append(1)
    keys.append(nil)
    return Int32(values.count - 1)
  }

  /// Every live key with its id.
  var liveIDs: Dictionary<Key, Int32>.Values { ids.values }
}
