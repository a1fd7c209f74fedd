/// CPython's `random.Random`: MT19937 with the helpers `gen_events.py` calls, reproduced call for
/// call, so that the Swift generator writes the same bytes as the Python one for the same seed.
///
/// Only what the generator needs: `seed` with a non-negative integer, `getrandbits`, `random`,
/// `randrange`, `randint`, `choice` and `sample` (CPython 3.11's algorithms, unchanged since 3.2
/// except `getrandbits(0)`, which is never called here).
public struct PythonRandom: Sendable {
  private var state = [UInt32](repeating: 0, count: 624)
  private var index = 625

  /// `random.Random(seed)` for a non-negative integer seed.
  public init(seed: UInt64) {
    var key: [UInt32] = []
    var rest = seed
    repeat {
      key.append(UInt32(truncatingIfNeeded: rest))
      rest >>= 32
    } while rest != 0
    initByArray(key)
  }

  private mutating func initGenrand(_ s: UInt32) {
    state[0] = s
    for i in 1..<624 {
      state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
    }
    index = 624
  }

  private mutating func initByArray(_ key: [UInt32]) {
    initGenrand(19_650_218)
    var i = 1
    var j = 0
    for _ in 0..<max(624, key.count) {
      state[i] =
        (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
      i += 1
      j += 1
      if i >= 624 {
        state[0] = state[623]
        i = 1
      }
      if j >= key.count { j = 0 }
    }
    for _ in 0..<623 {
      state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
      i += 1
      if i >= 624 {
        state[0] = state[623]
        i = 1
      }
    }
    state[0] = 0x8000_0000
  }

  private mutating func twist() {
    for k in 0..<624 {
      let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7FFF_FFFF)
      state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
    }
    index = 0
  }

  /// `genrand_uint32`.
  public mutating func nextUInt32() -> UInt32 {
    if index >= 624 { twist() }
    var y = state[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// `getrandbits(k)` for 1 ≤ k ≤ 64: 32-bit words, least significant first, the last one
  /// shifted right to keep its top bits.
  public mutating func getrandbits(_ k: Int) -> UInt64 {
    precondition((1...64).contains(k))
    if k <= 32 { return UInt64(nextUInt32() >> (32 - k)) }
    var result: UInt64 = 0
    var remaining = k
    var shift: UInt64 = 0
    while remaining > 0 {
      var word = nextUInt32()
      if remaining < 32 { word >>= UInt32(32 - remaining) }
      result |= UInt64(word) << shift
      shift += 32
      remaining -= 32
    }
    return result
  }

  /// `random()`: a float in [0, 1) with 53 random bits.
  public mutating func random() -> Double {
    let a = Double(nextUInt32() >> 5)
    let b = Double(nextUInt32() >> 6)
    return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// `_randbelow(n)` for n ≥ 1: rejection sampling on `n.bit_length()` bits.
  public mutating func below(_ n: Int) -> Int {
    precondition(n > 0)
    let bits = Int.bitWidth - n.leadingZeroBitCount
    var r = Int(getrandbits(bits))
    while r >= n { r = Int(getrandbits(bits)) }
    return r
  }

  /// `randrange(stop)`.
  public mutating func randrange(_ stop: Int) -> Int { below(stop) }

  /// `randrange(start, stop)`.
  public mutating func randrange(_ start: Int, _ stop: Int) -> Int { start + below(stop - start) }

  /// `randint(a, b)`: both ends included.
  public mutating func randint(_ a: Int, _ b: Int) -> Int { a + below(b - a + 1) }

  /// `choice(seq)`.
  public mutating func choice<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// `sample(population, k)` in its list-pool form (populations of at most 21 items).
  public mutating func sample<T>(_ population: [T], _ k: Int) -> [T] {
    precondition(population.count <= 21 && k <= 5, "only the small-population algorithm is ported")
    var pool = population
    let n = pool.count
    var result: [T] = []
    for i in 0..<k {
      let j = below(n - i)
      result.append(pool[j])
      pool[j] = pool[n - i - 1]
    }
    return result
  }
}
