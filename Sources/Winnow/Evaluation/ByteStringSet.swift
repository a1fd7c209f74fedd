/// An immutable set of byte strings with allocation-free membership tests on raw buffers.
///
/// Few strings are compared one by one (length first); more go into an open-addressing table
/// keyed by FNV-1a, so `In` over hundreds of constants costs one hash and about one compare.
/// The memory belongs to an ``EvaluationArena``.
struct ByteStringSet: @unchecked Sendable {
  private let bytes: UnsafeMutablePointer<UInt8>
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  let count: Int
  /// Slots hold an index into the strings plus one; 0 is empty.
  ///
  /// Nil when scanning linearly.
  private let slots: UnsafeMutablePointer<Int32>?
  private let slotMask: Int

  private static let linearLimit = 6

  init(_ strings: [[UInt8]], in arena: EvaluationArena) {
    var unique: [[UInt8]] = []
    for s in strings where !unique.contains(s) { unique.append(s) }
    count = unique.count
    bytes = arena.copy(unique.flatMap { $0 })
    var offset = 0
    starts = arena.copy(
      unique.map { s in
        defer { offset += s.count }
        return offset
      })
    lengths = arena.copy(unique.map(\.count))
    guard count > ByteStringSet.linearLimit else {
      slots = nil
      slotMask = 0
      return
    }
    var size = 1
    while size < count * 2 { size <<= 1 }
    var table = [Int32](repeating: 0, count: size)
    for (i, s) in unique.enumerated() {
      var slot = s.withUnsafeBufferPointer { Int(truncatingIfNeeded: ByteStringSet.hash($0)) }
      slot &= size - 1
      while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
      table[slot] = Int32(i + 1)
    }
    slots = arena.copy(table)
    slotMask = size - 1
  }

  @inline(__always)
  private func matches(_ i: Int, _ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
    guard lengths[i] == candidate.count else { return false }
    let stored = bytes + starts[i]
    var k = 0
    while k < candidate.count, stored[k] == candidate[k] { k += 1 }
    return k == candidate.count
  }

  /// Whether `candidate` is one of the strings.
  @inline(__always)
  func contains(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let slots else {
      for i in 0..<count where matches(i, candidate) { return true }
      return false
    }
    var slot = Int(truncatingIfNeeded: ByteStringSet.hash(candidate)) & slotMask
    while slots[slot] != 0 {
      if matches(Int(slots[slot]) - 1, candidate) { return true }
      slot = (slot + 1) & slotMask
    }
    return false
  }

  /// FNV-1a over the bytes, folded so the low bits used for slots mix in the high ones.
  @inline(__always)
  private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h ^ (h >> 29)
  }
}
