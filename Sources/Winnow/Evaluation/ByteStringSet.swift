#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An immutable set of byte strings with allocation-free membership tests on raw buffers.
///
/// Few strings are compared one by one (length first); more go into an open-addressing table
/// keyed by FNV-1a, so `In` over hundreds of constants costs one hash and about one compare.
final class ByteStringSet: @unchecked Sendable {
  private let bytes: UnsafeMutablePointer<UInt8>
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  let count: Int
  /// Slots hold an index into the strings plus one; 0 is empty. Nil when scanning linearly.
  private let slots: UnsafeMutablePointer<Int32>?
  private let slotMask: Int

  private static let linearLimit = 6

  init(_ strings: [[UInt8]]) {
    var unique: [[UInt8]] = []
    for s in strings where !unique.contains(s) { unique.append(s) }
    count = unique.count
    let total = unique.reduce(0) { $0 + $1.count }
    bytes = .allocate(capacity: max(total, 1))
    starts = .allocate(capacity: max(count, 1))
    lengths = .allocate(capacity: max(count, 1))
    var offset = 0
    for (i, s) in unique.enumerated() {
      starts[i] = offset
      lengths[i] = s.count
      for b in s {
        bytes[offset] = b
        offset += 1
      }
    }
    if count > ByteStringSet.linearLimit {
      var size = 1
      while size < count * 2 { size <<= 1 }
      let table = UnsafeMutablePointer<Int32>.allocate(capacity: size)
      table.initialize(repeating: 0, count: size)
      for i in 0..<count {
        var slot = Int(truncatingIfNeeded: ByteStringSet.hash(bytes + starts[i], lengths[i])) & (size - 1)
        while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
        table[slot] = Int32(i + 1)
      }
      slots = table
      slotMask = size - 1
    } else {
      slots = nil
      slotMask = 0
    }
  }

  deinit {
    bytes.deallocate()
    starts.deallocate()
    lengths.deallocate()
    slots?.deallocate()
  }

  @inline(__always)
  private func matches(_ i: Int, _ p: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
    lengths[i] == n && (n == 0 || memcmp(bytes + starts[i], p!, n) == 0)
  }

  /// Whether `candidate` is one of the strings.
  @inline(__always)
  func contains(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
    let p = candidate.baseAddress
    let n = candidate.count
    guard let slots else {
      for i in 0..<count where matches(i, p, n) { return true }
      return false
    }
    var slot = n == 0 ? Int(truncatingIfNeeded: ByteStringSet.emptyHash) & slotMask
      : Int(truncatingIfNeeded: ByteStringSet.hash(p!, n)) & slotMask
    while slots[slot] != 0 {
      if matches(Int(slots[slot]) - 1, p, n) { return true }
      slot = (slot + 1) & slotMask
    }
    return false
  }

  private static let emptyHash: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always)
  private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var h = emptyHash
    for i in 0..<n {
      h ^= UInt64(p[i])
      h = h &* 0x100_0000_01b3
    }
    return h ^ (h >> 29)
  }
}
