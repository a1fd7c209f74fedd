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
    let words: [[UInt8]] = [
      [], Array("a".utf8), Array("machines".utf8),
      Array("3f7c2a9e-5d41-4b8a-9c0e-7d2b5e8f1a60".utf8),
    ]
    func randomKey() -> Key {
      // Short random suffixes make many keys, and a split moved by one byte makes a different key.
      let suffix = (0..<Int.random(in: 0..<3, using: &rng)).map { _ in
        UInt8.random(in: 97...100, using: &rng)
      }
      let word = words.randomElement(using: &rng)!
      return Key(
        namespace: UInt8.random(in: 0..<3, using: &rng), a: word + suffix,
        b: words.randomElement(using: &rng)!)
    }
    func find(_ key: Key) -> UInt64? {
      key.a.withUnsafeBufferPointer { a in
        key.b.withUnsafeBufferPointer { b in map.find(key.namespace, a, b) }
      }
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
    #expect(
      find(Key(namespace: 0, a: Array("ma".utf8), b: Array("chines".utf8)))
        == model[Key(namespace: 0, a: Array("ma".utf8), b: Array("chines".utf8))])
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

  /// Which specifiers the operand index takes, and whether it decides their filter alone.
  struct OperandCase: CustomTestStringConvertible, Sendable {
    let specifier: String
    /// The indexed field and how many values, or nil when placed by type and key.
    let field: String?
    var values = 1
    var decides = true
    var testDescription: String { specifier }
  }

  static let operandCases: [OperandCase] = [
    OperandCase(specifier: #"*.*.*.Object.Uuid=Eq("u")"#, field: "Object.Uuid"),
    OperandCase(specifier: #"*.save,update.*.Object.Uuid=Eq("u")"#, field: "Object.Uuid"),
    OperandCase(
      specifier: #"*.*.*.Object.Count=In(1,1.0,1e0,-0,0)"#, field: "Object.Count", values: 2),
    OperandCase(
      specifier: #"*.*.*.Object.Flag=In(true,false,null,"true")"#, field: "Object.Flag", values: 4),
    OperandCase(
      specifier: #"*.*.*.And(Object.Stage=In("a","b"),Object.Uuid=Eq("u"),Key=Re("x"))"#,
      field: "Object.Uuid", decides: false),
    OperandCase(specifier: #"*.*.*.And(And(Object.Uuid=Eq("u")))"#, field: "Object.Uuid"),
    OperandCase(
      specifier: #"*.*.*.And(Not(Object.Uuid=Eq("u")),/Type=Eq(""))"#, field: "/Type",
      decides: false),
    OperandCase(specifier: #"*.*.*.Object.Uuid=In("u",[1])"#, field: nil),
    OperandCase(specifier: #"*.*.*.Object=Eq({})"#, field: nil),
    OperandCase(specifier: #"*.*.*.Or(Object.Uuid=Eq("u"),Key=Eq("k"))"#, field: nil),
    OperandCase(specifier: #"*.*.*.Object.Uuid=Ne("u")"#, field: nil),
    OperandCase(specifier: #"machines.*.*.Object.Uuid=Eq("u")"#, field: nil),
    OperandCase(specifier: #"*.*.k.Object.Uuid=Eq("u")"#, field: nil),
    OperandCase(specifier: "*.*.*", field: nil),
  ]

  @Test(arguments: operandCases)
  func operandIndexTakesRequiredEqAndInTests(_ c: OperandCase) throws {
    let index = SubscriptionIndex()
    let placement = index.operandPlacement(of: try EventSpecifier(parsing: c.specifier))
    #expect(placement?.0.path.text == c.field)
    if let (operand, decides) = placement {
      #expect(operand.keys.count == c.values)
      #expect(decides == c.decides)
    }
  }

  /// 1,000 `*.*.*.Object.Uuid=Eq(...)` registrations: an event reaches exactly the one for its
  /// Uuid, no filter is compiled, and deregistering empties the operand index.
  @Test func operandIndexFindsTheOneRegistrationOfAValue() throws {
    let registry = SubscriptionRegistry<Int>()
    for i in 0..<1_000 { try registry.register(#"*.*.*.Object.Uuid=Eq("u\#(i)")"#, for: i) }
    try registry.register(#"*.save.*.Object.Uuid=Eq("u7")"#, for: 2_000)
    try registry.register(#"*.*.*.And(Object.Uuid=Eq("u7"),Object.Stage=Eq("x"))"#, for: 2_001)
    #expect(registry.filterCount == 1)
    let save = try Event(
      parsing: #"{"Type":"machines","Action":"save","Object":{"Uuid":"u7","Stage":"x"}}"#)
    #expect(registry.subscribers(matching: save).sorted() == [7, 2_000, 2_001])
    let create = try Event(parsing: #"{"Type":"jobs","Action":"create","Object":{"Uuid":"u7"}}"#)
    #expect(registry.subscribers(matching: create) == [7])
    #expect(
      registry.subscribers(matching: try Event(parsing: #"{"Object":{"Uuid":"u1000"}}"#)).isEmpty)
    #expect(registry.subscribers(matching: try Event(parsing: #"{"Object":{"Uuid":7}}"#)).isEmpty)
    for i in 0..<1_000 { try registry.deregister(#"*.*.*.Object.Uuid=Eq("u\#(i)")"#, for: i) }
    try registry.deregister(#"*.save.*.Object.Uuid=Eq("u7")"#, for: 2_000)
    try registry.deregister(#"*.*.*.And(Object.Uuid=Eq("u7"),Object.Stage=Eq("x"))"#, for: 2_001)
    #expect(registry.specifierCount == 0 && registry.filterCount == 0)
    #expect(registry.index.operandPaths.count == 0)
    #expect(registry.index.namespaceCounts.allSatisfy { $0 == 0 })
  }

  /// Values are keyed as JSON equality compares them.
  @Test func operandKeysFollowJSONEquality() throws {
    let matcher = EventMatcher([
      try EventSpecifier(parsing: "*.*.*.Object.Count=Eq(-0)"),
      try EventSpecifier(parsing: "*.*.*.Object.Count=In(1e2)"),
      try EventSpecifier(parsing: "*.*.*.Object.Flag=Eq(null)"),
      try EventSpecifier(parsing: #"*.*.*.Type=Eq("")"#),
      try EventSpecifier(parsing: #"*.*.*.Object.Name=Eq("é")"#),
    ])
    let cases: [(String, Bool)] = [
      (#"{"Type":"t","Object":{"Count":0}}"#, true),
      (#"{"Type":"t","Object":{"Count":-0.0}}"#, true),
      (#"{"Type":"t","Object":{"Count":100.0}}"#, true),
      (#"{"Type":"t","Object":{"Count":"100"}}"#, false),
      (#"{"Type":"t","Object":{"Count":1}}"#, false),
      (#"{"Type":"t","Object":{"Flag":null}}"#, true),
      (#"{"Type":"t","Object":{"Flag":false}}"#, false), (#"{"Type":"t","Object":{}}"#, false),
      (#"{"Object":{}}"#, true), (#"{"Type":null}"#, true),
      (#"{"Type":"t","Object":{"Name":"é"}}"#, true),
      (#"{"Type":"t","Object":{"Name":"é"}}"#, false),
    ]
    for (text, expected) in cases {
      #expect(matcher.matches(try Event(parsing: text)) == expected, "\(text)")
    }
  }
}

/// Canonical texts are identities by their bytes: texts that Swift's `String ==` calls equal
/// (Unicode canonical equivalence) are different filters, specifiers and fields.
@Suite struct ExactTextTests {
  static let composed = "\u{E9}"  // é
  static let decomposed = "e\u{301}"  // e + combining acute accent

  @Test func filtersThatDifferOnlyInNormalizationAreNotShared() throws {
    let registry = SubscriptionRegistry<Int>()
    try registry.register(#"machines.*.*.Object.Name=Eq("\#(Self.composed)")"#, for: 1)
    try registry.register(#"jobs.*.*.Object.Name=Eq("\#(Self.decomposed)")"#, for: 2)
    #expect(registry.filterCount == 2)
    let job = try Event(parsing: #"{"Type":"jobs","Object":{"Name":"\#(Self.decomposed)"}}"#)
    #expect(registry.subscribers(matching: job) == [2])
    let machine = try Event(
      parsing: #"{"Type":"machines","Object":{"Name":"\#(Self.decomposed)"}}"#)
    #expect(registry.subscribers(matching: machine).isEmpty)
  }

  @Test func specifiersAndFieldsCompareBytes() throws {
    let a = try EventSpecifier(parsing: "machines.*.\(Self.composed)")
    let b = try EventSpecifier(parsing: "machines.*.\(Self.decomposed)")
    #expect(a != b && Set([a, b]).count == 2)
    #expect(EventMatcher([a, b]).specifiers.count == 2)
    #expect(try FieldPath(parsing: Self.composed) != FieldPath(parsing: Self.decomposed))
    #expect(
      try Filter(parsing: #"a=Eq("\#(Self.composed)")"#)
        != Filter(parsing: #"a=Eq("\#(Self.decomposed)")"#))
  }
}
