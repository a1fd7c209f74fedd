#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A hash map from keys made of a namespace byte and two byte strings to `Int32` values, looked
/// up with raw buffers so that finding an event's bucket allocates nothing.
///
/// Open addressing with linear probing at a load factor of at most one half; removal shifts the
/// following entries back (no tombstones), so a map that sees many inserts and removals stays as
/// fast as a fresh one. Growing rehashes from the stored hashes, amortized O(1) per insert.
struct ByteKeyMap {
  /// Entry index plus one for each slot; 0 is empty.
  private var slots: [Int32] = Array(repeating: 0, count: 16)
  private var hashes: [UInt64] = []
  /// Each key as the namespace byte, then `a`, then `b`.
  private var keys: [[UInt8]] = []
  /// The length of `a` in each key.
  private var splits: [Int32] = []
  private var values: [Int32] = []
  private var freeEntries: [Int32] = []
  private(set) var count = 0

  /// The value stored for `(namespace, a, b)`, or nil.
  @inline(__always)
  func find(_ namespace: UInt8, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>)
    -> Int32?
  {
    let hash = ByteKeyMap.hash(namespace, a, b)
    return slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      while true {
        let entry = Int(slots[slot]) - 1
        if entry < 0 { return nil }
        if hashes[entry] == hash && matches(entry, namespace, a, b) { return values[entry] }
        slot = (slot + 1) & mask
      }
    }
  }

  @inline(__always)
  private func matches(
    _ entry: Int, _ namespace: UInt8, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard Int(splits[entry]) == a.count else { return false }
    return keys[entry].withUnsafeBufferPointer { key in
      key.count == 1 + a.count + b.count && key[0] == namespace
        && (a.count == 0 || memcmp(key.baseAddress! + 1, a.baseAddress!, a.count) == 0)
        && (b.count == 0 || memcmp(key.baseAddress! + 1 + a.count, b.baseAddress!, b.count) == 0)
    }
  }

  /// Stores `value` for a key that is not in the map.
  mutating func insert(_ namespace: UInt8, _ a: [UInt8], _ b: [UInt8], _ value: Int32) {
    if (count + 1) * 2 > slots.count { grow() }
    let hash = a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in ByteKeyMap.hash(namespace, a, b) }
    }
    let key = [namespace] + a + b
    let entry: Int
    if let free = freeEntries.popLast() {
      entry = Int(free)
      hashes[entry] = hash
      keys[entry] = key
      splits[entry] = Int32(a.count)
      values[entry] = value
    } else {
      entry = values.count
      hashes.append(hash)
      keys.append(key)
      splits.append(Int32(a.count))
      values.append(value)
    }
    place(entry)
    count += 1
  }

  /// Removes the key, which must be in the map.
  mutating func remove(_ namespace: UInt8, _ a: [UInt8], _ b: [UInt8]) {
    let hash = a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in ByteKeyMap.hash(namespace, a, b) }
    }
    let mask = slots.count - 1
    var hole = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = Int(slots[hole]) - 1
      precondition(entry >= 0, "ByteKeyMap.remove of a missing key")
      let found = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in hashes[entry] == hash && matches(entry, namespace, a, b) }
      }
      if found {
        keys[entry] = []
        freeEntries.append(Int32(entry))
        break
      }
      hole = (hole + 1) & mask
    }
    // Shift back every following entry that may not stay behind the hole.
    slots[hole] = 0
    var next = hole
    while true {
      next = (next + 1) & mask
      let entry = Int(slots[next]) - 1
      if entry < 0 { break }
      let home = Int(truncatingIfNeeded: hashes[entry]) & mask
      // The entry stays when its home lies cyclically in (hole, next].
      let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
      if !stays {
        slots[hole] = slots[next]
        slots[next] = 0
        hole = next
      }
    }
    count -= 1
  }

  private mutating func place(_ entry: Int) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(entry + 1)
  }

  private mutating func grow() {
    let old = slots
    slots = Array(repeating: 0, count: old.count * 2)
    for slot in old where slot != 0 { place(Int(slot) - 1) }
  }

  // MARK: - Hashing

  /// A hash of the namespace and both strings, read eight bytes at a time.
  @inline(__always)
  static func hash(
    _ namespace: UInt8, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
  ) -> UInt64 {
    let seeded = (UInt64(namespace) &+ 1) &* 0x9E37_79B9_7F4A_7C15
    let h = mix(b, seed: mix(a, seed: seeded))
    return h ^ (h >> 32)
  }

  @inline(__always)
  private static func mix(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
    var h = seed ^ (UInt64(bytes.count) &* 0xBF58_476D_1CE4_E5B9)
    let n = bytes.count
    var i = 0
    var tail: UInt64 = 0
    // An empty buffer may or may not have a base address; both must hash alike.
    if n > 0, let base = bytes.baseAddress {
      while i + 8 <= n {
        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        i += 8
      }
      var shift: UInt64 = 0
      while i < n {
        tail |= UInt64(base[i]) << shift
        shift += 8
        i += 1
      }
    }
    h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    return h ^ (h >> 29)
  }
}
