#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A hash map from keys made of a namespace byte and two byte strings to `UInt64` values, looked
/// up with raw buffers so that finding an event's bucket allocates nothing.
///
/// Open addressing with linear probing at a load factor of at most one half. Each slot holds the
/// upper half of the key's hash next to the entry index, so a probe touches the key's bytes only
/// when 32 bits of hash agree, and a lookup that misses reads nothing but slots. Removal shifts
/// the following entries back (no tombstones), so a map that sees many inserts and removals
/// stays as fast as a fresh one. Growing rehashes from the slots, amortized O(1) per insert.
struct ByteKeyMap {
  /// Per slot: the hash's upper 32 bits (which also choose the home slot), then the entry
  /// index plus one in the lower 32 bits; 0 is an empty slot.
  private var slots: [UInt64] = Array(repeating: 0, count: 16)
  /// Per entry: the value (8 bytes, so that a hit reads one buffer), the namespace byte, the
  /// length of `a` (4 bytes), `a`, then `b`; empty when the entry is free.
  private var keys: [[UInt8]] = []
  private var freeEntries: [Int32] = []
  private(set) var count = 0

  /// The value stored for `(namespace, a, b)`, or nil.
  @inline(__always)
  func find(_ namespace: UInt8, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>)
    -> UInt64?
  {
    let tag = ByteKeyMap.tag(namespace, a, b)
    return slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var slot = Int(tag) & mask
      while true {
        let word = slots[slot]
        if word == 0 { return nil }
        if UInt32(truncatingIfNeeded: word >> 32) == tag {
          let entry = Int(UInt32(truncatingIfNeeded: word)) - 1
          if let value = value(entry, ifKeyIs: namespace, a, b) { return value }
        }
        slot = (slot + 1) & mask
      }
    }
  }

  /// The entry's value when its key is `(namespace, a, b)`.
  @inline(__always)
  private func value(
    _ entry: Int, ifKeyIs namespace: UInt8, _ a: UnsafeBufferPointer<UInt8>,
    _ b: UnsafeBufferPointer<UInt8>
  ) -> UInt64? {
    keys[entry].withUnsafeBufferPointer { key in
      guard key.count == ByteKeyMap.header + a.count + b.count, key[8] == namespace else {
        return nil
      }
      let base = UnsafeRawPointer(key.baseAddress!)
      guard Int(base.loadUnaligned(fromByteOffset: 9, as: UInt32.self)) == a.count,
        a.count == 0 || memcmp(base + ByteKeyMap.header, a.baseAddress!, a.count) == 0,
        b.count == 0 || memcmp(base + ByteKeyMap.header + a.count, b.baseAddress!, b.count) == 0
      else { return nil }
      return base.loadUnaligned(as: UInt64.self)
    }
  }

  /// The bytes before `a` in an entry: value, namespace, length of `a`.
  private static let header = 13

  /// The entry holding `(namespace, a, b)`, which must be in the map.
  private func entry(_ namespace: UInt8, _ a: [UInt8], _ b: [UInt8]) -> (slot: Int, entry: Int) {
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        let tag = ByteKeyMap.tag(namespace, a, b)
        let mask = slots.count - 1
        var slot = Int(tag) & mask
        while true {
          let word = slots[slot]
          precondition(word != 0, "ByteKeyMap: missing key")
          if UInt32(truncatingIfNeeded: word >> 32) == tag {
            let entry = Int(UInt32(truncatingIfNeeded: word)) - 1
            if value(entry, ifKeyIs: namespace, a, b) != nil { return (slot, entry) }
          }
          slot = (slot + 1) & mask
        }
      }
    }
  }

  /// Replaces the value of a key that is in the map.
  mutating func update(_ namespace: UInt8, _ a: [UInt8], _ b: [UInt8], _ value: UInt64) {
    let entry = entry(namespace, a, b).entry
    keys[entry].withUnsafeMutableBytes { $0.storeBytes(of: value, as: UInt64.self) }
  }

  /// Stores `value` for a key that is not in the map.
  mutating func insert(_ namespace: UInt8, _ a: [UInt8], _ b: [UInt8], _ value: UInt64) {
    if (count + 1) * 2 > slots.count { grow() }
    let tag = a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in ByteKeyMap.tag(namespace, a, b) }
    }
    var key: [UInt8] = []
    key.reserveCapacity(ByteKeyMap.header + a.count + b.count)
    withUnsafeBytes(of: value) { key.append(contentsOf: $0) }
    key.append(namespace)
    withUnsafeBytes(of: UInt32(a.count)) { key.append(contentsOf: $0) }
    key.append(contentsOf: a)
    key.append(contentsOf: b)
    let entry: Int
    if let free = freeEntries.popLast() {
      entry = Int(free)
      keys[entry] = key
    } else {
      entry = keys.count
      keys.append(key)
    }
    place(UInt64(tag) << 32 | UInt64(entry + 1))
    count += 1
  }

  /// Removes the key, which must be in the map.
  mutating func remove(_ namespace: UInt8, _ a: [UInt8], _ b: [UInt8]) {
    let (found, entry) = entry(namespace, a, b)
    keys[entry] = []
    freeEntries.append(Int32(entry))
    let mask = slots.count - 1
    var hole = found
    // Shift back every following entry that may not stay behind the hole.
    slots[hole] = 0
    var next = hole
    while true {
      next = (next + 1) & mask
      let word = slots[next]
      if word == 0 { break }
      let home = Int(word >> 32) & mask
      // The entry stays when its home lies cyclically in (hole, next].
      let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
      if !stays {
        slots[hole] = word
        slots[next] = 0
        hole = next
      }
    }
    count -= 1
  }

  private mutating func place(_ word: UInt64) {
    let mask = slots.count - 1
    var slot = Int(word >> 32) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = word
  }

  private mutating func grow() {
    let old = slots
    slots = Array(repeating: 0, count: old.count * 2)
    for word in old where word != 0 { place(word) }
  }

  /// The upper 32 bits of the key's hash.
  @inline(__always)
  private static func tag(
    _ namespace: UInt8, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
  ) -> UInt32 {
    UInt32(truncatingIfNeeded: hash(namespace, a, b) >> 32)
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
