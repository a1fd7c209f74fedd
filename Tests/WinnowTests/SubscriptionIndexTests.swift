import Testing

@testable import Winnow

@Suite struct SubscriptionIndexTests {
  /// The byte-keyed map against a Dictionary, through many inserts and removals, so that the
  /// backward shift of removal and the growth are both exercised with colliding keys.
  @Test func byteKeyMapAgreesWithADictionary() {
    struct Key: Hashable {
      let namespace: UInt8
      let a: [UInt8]
      let b: [UInt8]
    }
    var rng = SeededGenerator(seed: 11)
    var map = ByteKeyMap()
    var model: [Key: UInt64] = [:]
    let words: [[UInt8]] = [[], Array("a".utf8), Array("machines".utf8), Array("3f7c2a9e-5d41-4b8a-9c0e-7d2b5e8f1a60".utf8)]
    func randomKey() -> Key {
      // Short random suffixes make many keys, and a split moved by one byte makes a different key.
      let suffix = (0..<Int.random(in: 0..<3, using: &rng)).map { _ in UInt8.random(in: 97...100, using: &rng) }
      let word = words.randomElement(using: &rng)!
      return Key(namespace: UInt8.random(in: 0..<3, using: &rng), a: word + suffix, b: words.randomElement(using: &rng)!)
    }
    func find(_ key: Key) -> UInt64? {
      key.a.withUnsafeBufferPointer { a in key.b.withUnsafeBufferPointer { b in map.find(key.namespace, a, b) } }
    }
    for step in 0..<20_000 {
      let key = randomKey()
      if let value = model[key] {
        #expect(find(key) == value)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
          map.remove(key.namespace, key.a, key.b)
          model[key] = nil
        case 1:
          map.update(key.namespace, key.a, key.b, value &+ 1)
          model[key] = value &+ 1
        default: break
        }
      } else {
        #expect(find(key) == nil)
        map.insert(key.namespace, key.a, key.b, UInt64(step) << 32 | 7)
        model[key] = UInt64(step) << 32 | 7
      }
      #expect(map.count == model.count)
    }
    for (key, value) in model { #expect(find(key) == value) }
    // A key split differently is a different key.
    #expect(find(Key(namespace: 0, a: Array("ma".utf8), b: Array("chines".utf8))) == model[Key(namespace: 0, a: Array("ma".utf8), b: Array("chines".utf8))])
  }

  static let bucketCases: [(String, Int)] = [
    ("*.*.*", 1), ("machines.*.*", 1), ("machines,profiles.*.a,b", 4), ("a,a.*.k,k", 1),
    ("machines,machine_jobs,work_order_jobs.*.*", 3), ("machines,machine_jobs.*.u", 2),
  ]

  @Test(arguments: bucketCases)
  func specifiersGoInOneBucketPerDistinctPair(_ text: String, _ count: Int) throws {
    let keys = SubscriptionIndex.bucketKeys(of: try EventSpecifier(parsing: text))
    #expect(keys.count == count)
    #expect(Set(keys).count == keys.count)
  }
}
